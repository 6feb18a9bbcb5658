import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import Testing

/// Spectral libraries stored on PostgreSQL (issue #18): real MassBank records imported into a
/// new PostgreSQL database and into SQLite read back the same, peak for peak, and a query spectrum
/// from another contributor finds the same hits in both.
@Suite("PostgreSQL: spectral libraries stored and searched as on SQLite")
struct PostgresLibraryTests {
    static func file(_ path: String) throws -> URL { try RefDataSpectra.url("massbank/\(path)") }

    @Test func aLibraryImportedOnPostgreSQLReadsAndSearchesAsOnSQLite() throws {
        try PostgresBackendTests.withEmptyBackends { database, session, _ in
            let reference = try ReferenceData.load()
            let files = try ["fentanyl/MSBNK-Eawag-EQ364002.txt", "fentanyl/MSBNK-Eawag-EQ364003.txt", "cocaine"].map(Self.file)
            let options = LibraryImportOptions(name: "massbank-test", version: "2025.05.1", source: "MassBank/MassBank-data", licence: "CC BY")
            let stores = [SpectralLibraryStore(database: database), SpectralLibraryStore(store: session)]
            let imported = try stores.map { try LibraryImporter(store: $0, catalogue: reference.catalogue).importLibrary(files: files, options: options) }
            #expect(imported[0].recordCount > 2)
            #expect(imported[1].recordCount == imported[0].recordCount && imported[1].files == imported[0].files)
            #expect(throws: LibraryImportError.self) {
                _ = try LibraryImporter(store: stores[1], catalogue: reference.catalogue).importLibrary(files: files, options: options)
            }

            let (sqlite, postgres) = (try stores[0].contents(), try stores[1].contents())
            #expect(postgres.map(\.library.name) == ["massbank-test"])
            #expect(postgres.map(\.library.files) == sqlite.map(\.library.files))
            let spectra = { (parts: [(library: StoredLibrary, spectra: [LibrarySpectrum])]) in
                parts.flatMap(\.spectra).map { "\($0.name) \($0.substanceID ?? "-") \($0.spectrum.mz) \($0.spectrum.intensity) \($0.spectrum.metadata.sorted { $0.key < $1.key })" }
            }
            #expect(spectra(postgres) == spectra(sqlite))
            #expect(spectra(postgres).contains { $0.hasPrefix("Fentanyl") || $0.contains(" fentanyl ") })

            // A third contributor's fentanyl spectrum finds the same hits in either stored library.
            let query = try #require(try MassBankRecordReader().read(file: Self.file("fentanyl/MSBNK-Athens_Univ-AU154502.txt")).first)
            let hits = try stores.map { store in
                let library = try reference.library(adding: store, includeDefault: false)
                return library.search(query, top: 5).map { "\(library.entries[$0.entry].name) \(library.entries[$0.entry].substanceID ?? "-") \($0.score)" }
            }
            #expect(!hits[0].isEmpty)
            #expect(hits[1] == hits[0])
        }
    }
}
