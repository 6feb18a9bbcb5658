import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Spectral libraries stored in the database")
struct SpectralLibraryStoreTests {
    /// The records of a real EI library, each stated as the fentanyl class except the first.
    static func spectra() throws -> [LibrarySpectrum] {
        let url = try RefDataSpectra.url("ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp")
        return try MSPReader().read(file: url).enumerated().map { n, s in
            LibrarySpectrum(spectrum: s, name: s.name ?? s.id, substanceClass: n == 0 ? nil : .fentanylAnalogue,
                            substanceID: n == 1 ? "fentanyl" : nil)
        }
    }

    @Test func aLibraryComesBackAsItWasStored() throws {
        let t = try TestDatabase()
        let store = SpectralLibraryStore(database: t.database)
        let spectra = try Self.spectra()
        let files = [LibraryFile(file: "ei.msp", sha256: String(repeating: "ab", count: 32), records: spectra.count)]
        let stored = try store.insert(name: "ei", version: "1", source: "FentanylClassifier", licence: "US-Gov",
                                      files: files, spectra: spectra)
        let contents = try store.contents()
        for var library in try store.list() + contents.map(\.library) {
            #expect(abs(library.importedAt.timeIntervalSince(stored.importedAt)) < 0.001)
            library.importedAt = stored.importedAt
            #expect(library == stored)
        }
        #expect(contents.count == 1)
        let back = try #require(contents.first?.spectra)
        #expect(back.count == spectra.count)
        for (read, written) in zip(back, spectra) {
            #expect(read.name == written.name && read.substanceClass == written.substanceClass && read.substanceID == written.substanceID)
            #expect(read.spectrum.id == written.spectrum.id && read.spectrum.metadata == written.spectrum.metadata)
            #expect(read.spectrum.mz == written.spectrum.mz, "m/z stored as float64")
            #expect(zip(read.spectrum.intensity, written.spectrum.intensity).allSatisfy { abs($0 - $1) <= abs($1) * 1e-6 })
        }
        let bytes = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT peak_count, length(mz) AS mzBytes, length(intensity) AS iBytes FROM library_spectrum")
        }
        #expect(bytes.allSatisfy { $0["mzBytes"] == ($0["peak_count"] as Int) * 8 && $0["iBytes"] == ($0["peak_count"] as Int) * 4 })
    }

    @Test func theSameNameAndVersionTwiceIsRefusedAndNothingIsAdded() throws {
        let t = try TestDatabase()
        let store = SpectralLibraryStore(database: t.database)
        let spectra = try Self.spectra()
        let first = try store.insert(name: "ei", version: "1", source: "s", licence: "l", files: [], spectra: spectra)
        let error = try #require(throws: LibraryImportError.self) {
            try store.insert(name: "ei", version: "1", source: "s", licence: "l", files: [], spectra: spectra)
        }
        #expect(error.description == "library 'ei' version '1' is already stored (id \(first.id)); import the new files under another --version")
        #expect(try t.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM library_spectrum") } == spectra.count)
        _ = try store.insert(name: "ei", version: "2", source: "s", licence: "l", files: [], spectra: spectra)
        #expect(try store.list().map(\.version) == ["1", "2"])
    }
}
