import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Spectral libraries imported into the database")
struct LibraryImporterTests {
    let reference: ReferenceData

    init() throws {
        reference = try ReferenceData.load()
    }

    func makeImporter(_ t: TestDatabase) -> LibraryImporter {
        LibraryImporter(store: SpectralLibraryStore(database: t.database), catalogue: reference.catalogue)
    }

    @Test func massBankRecordsImportListAndFindTheirCompound() throws {
        let t = try TestDatabase()
        let importer = makeImporter(t)
        let store = importer.store
        // Fentanyl and cocaine records of two MassBank contributors go in; a third contributor's
        // fentanyl spectrum (Athens Univ., not imported) is the query.
        var files: [URL] = []
        for name in ["MSBNK-Eawag-EQ364002.txt", "MSBNK-Eawag-EQ364003.txt", "MSBNK-Eawag-EQ364005.txt"] {
            files.append(try RefDataSpectra.url("massbank/fentanyl/\(name)"))
        }
        files.append(try RefDataSpectra.url("massbank/cocaine"))
        let cocaineFiles = try FileManager.default.contentsOfDirectory(atPath: RefDataSpectra.url("massbank/cocaine").path).count
        let stored = try importer.importLibrary(files: files, options: .init(name: "massbank-test", version: "2025.05.1",
                                                                         source: "MassBank/MassBank-data", licence: "CC BY"))
        #expect(stored.recordCount == 3 + cocaineFiles)
        #expect(stored.files.count == 3 + cocaineFiles)

        let listed = try store.list()
        #expect(listed.map(\.name) == ["massbank-test"])
        #expect(listed.first?.version == "2025.05.1")
        #expect(listed.first?.licence == "CC BY")
        #expect(listed.first?.recordCount == stored.recordCount)

        let rows = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT name, inchikey, formula, substance_class, substance_id, peak_count, length(mz) AS mzBytes, length(intensity) AS iBytes, ionisation, polarity FROM library_spectrum")
        }
        #expect(rows.count == stored.recordCount)
        for row in rows {
            let peaks: Int = row["peak_count"]
            #expect(row["mzBytes"] == peaks * 8 && row["iBytes"] == peaks * 4, "peaks stored as float64/float32 little-endian")
        }
        let fentanylRows = rows.filter { ($0["substance_id"] as String?) == "fentanyl" }
        #expect(fentanylRows.count == 3)
        #expect(fentanylRows.allSatisfy { ($0["substance_class"] as String?) == "fentanyl_analogue" && ($0["formula"] as String?) == "C22H28N2O" })

        // Stored-only search: the unseen fentanyl spectrum's best hit is fentanyl, from the stored library.
        let library = try reference.library(adding: store, includeDefault: false)
        #expect(library.version == "none+massbank-test@2025.05.1")
        let query = try #require(try MassBankRecordReader().read(file: RefDataSpectra.url("massbank/fentanyl/MSBNK-Athens_Univ-AU154502.txt")).first)
        let hits = library.search(query, top: 5)
        let best = try #require(hits.first)
        #expect(library.entries[best.entry].substanceID == "fentanyl", "top hit \(library.entries[best.entry].name) \(best.score)")
        #expect(library.entries[best.entry].library == "massbank-test 2025.05.1")
        #expect(best.score > 0.5)

        // With the default library as well, the stored entries are searched together with it.
        let combined = try reference.library(adding: store)
        #expect(combined.entries.count == reference.library.entries.count + stored.recordCount)
        #expect(combined.version.hasSuffix("+massbank-test@2025.05.1"))
    }

    @Test func anMSPLibraryKeepsItsRecordsAndStatedClasses() throws {
        let t = try TestDatabase()
        let importer = makeImporter(t)
        let store = importer.store
        let url = try RefDataSpectra.url("ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp")
        let inFile = try MSPReader().read(file: url)
        let stored = try importer.importLibrary(files: [url], options: .init(version: "cf612c9", licence: "US-Gov (17 USC 105)"))
        #expect(stored.name == "FentanylClassifier_SingleModFentanylLibrary_EI", "name defaults to the file name")
        #expect(stored.recordCount == inFile.count)

        // Peaks come back exactly (m/z float64; intensity float32).
        let library = try reference.library(adding: store, includeDefault: false)
        for (entry, original) in zip(library.entries, inFile) {
            #expect(entry.spectrum.mz == original.mz)
            #expect(zip(entry.spectrum.intensity, original.intensity).allSatisfy { abs($0 - $1) <= abs($1) * 1e-6 })
        }
        // Each EI record searched against the stored library finds itself.
        let query = inFile[inFile.count / 2]
        let best = try #require(library.search(query, top: 1).first)
        #expect(library.entries[best.entry].name == query.name)
        #expect(abs(best.score - 1) < 1e-6)
    }

    @Test func aBadLibraryFileIsRejectedWholeWithFileAndLine() throws {
        let t = try TestDatabase()
        let importer = makeImporter(t)
        let store = importer.store
        let good = try RefDataSpectra.url("ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp")
        // A real MSP with one peak line damaged far into the file.
        var lines = try String(contentsOf: good, encoding: .utf8).components(separatedBy: "\n")
        let numPeaks = lines.indices.filter { lines[$0].hasPrefix("Num Peaks") }
        let damaged = numPeaks[numPeaks.count - 3] + 2
        lines[damaged] = "57 abc"
        let bad = try t.file("damaged.msp", lines.joined(separator: "\n"))

        let error = try #require(throws: SpectralFileError.self) {
            try importer.importLibrary(files: [good, bad], options: .init(name: "two-files"))
        }
        #expect(error.file == "damaged.msp")
        #expect(error.line == damaged + 1)
        #expect(error.description.hasPrefix("damaged.msp:\(damaged + 1): "))
        #expect(try store.list().isEmpty, "the good file is not stored either")
        #expect(try t.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM library_spectrum") } == 0)

        // Not a library at all.
        let csv = try RefDataSpectra.url("nitazene_esi_csv/S02.csv")
        let notLibrary = try #require(throws: SpectralFileError.self) { try importer.importLibrary(files: [csv], options: .init()) }
        #expect(notLibrary.file == "S02.csv" && notLibrary.line == 1)

        // The same name and version twice is refused; a new version is accepted.
        _ = try importer.importLibrary(files: [good], options: .init(name: "ei", version: "1"))
        #expect(throws: LibraryImportError.self) { try importer.importLibrary(files: [good], options: .init(name: "ei", version: "1")) }
        _ = try importer.importLibrary(files: [good], options: .init(name: "ei", version: "2"))
        #expect(try store.list().map(\.version) == ["1", "2"])
    }
}
