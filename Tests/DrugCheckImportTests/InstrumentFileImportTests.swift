import DrugCheckImport
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Importing instrument files (mzML) into the store")
struct InstrumentFileImportTests {
    @Test func mzMLSampleTakesItsWeekFromTheRunAndKeepsItsSpectra() throws {
        let t = try TestDatabase()
        let url = PackagePaths.imports.appendingPathComponent("mzml-example.mzML")
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: url, options: .init())
        #expect(result.outcome == .imported, "\(result.errors)")
        #expect(result.format == .mzML)

        // The example names its lab and sample in userParams and has no collection date:
        // the sample falls in the week of the run's startTimeStamp (2026-11-17 → 2026-W47).
        let stored = try #require(try t.database.sample(lab: "BE-NICC", id: "NICC-2026-0478"))
        #expect(stored.weekBasis == "analysed")
        #expect(stored.week?.description == "2026-W47")

        let text = try String(contentsOf: url, encoding: .utf8)
        let spectraInFile = text.components(separatedBy: "<spectrum ").count - 1
        let rows = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT peak_count, length(mz) AS mzBytes, length(intensity) AS intensityBytes FROM spectrum")
        }
        #expect(rows.count == spectraInFile)
        for row in rows {
            let peaks: Int = row["peak_count"]
            #expect(row["mzBytes"] == peaks * 8, "m/z stored as float64")
            #expect(row["intensityBytes"] == peaks * 4, "intensity stored as float32")
        }
    }
}
