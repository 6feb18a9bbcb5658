import DrugCheckImport
import DrugCheckIngest
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// Chromatograms read from mzML are stored with their analysis, compactly (float64 seconds,
/// float32 intensities), on a real file: HUPO-PSI's tiny.pwiz example has a TIC of 15 points and
/// an SIC of 10. Expected sums are pyopenms's (and pyteomics's) reading of the same file, from
/// Tests/DrugCheckIngestTests/Fixtures/mzml/expected.json (make_expected.py there).
@Suite("Chromatograms in the store")
struct ChromatogramStoreTests {
    @Test func tinyPwizChromatogramsAreStoredWithTheirAnalysis() throws {
        let url = PackagePaths.root.appendingPathComponent("../shared/refdata/mzml/hupo_tiny.pwiz.1.1.mzML").standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        let t = try TestDatabase()
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: url, options: .init(labCode: "BE-NICC"))
        #expect(result.outcome == .imported, "\(result.errors)")

        let rows = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.native_id, c.type, c.point_count, c.rt_seconds, c.intensity, a.sample_id
                FROM chromatogram c JOIN analysis a ON a.id = c.analysis_id ORDER BY c.id
                """)
        }
        // (id, points, sum of times in s, sum of intensities) per pyopenms.
        let expected: [(String, Int, Double, Double)] = [("tic", 15, 105.0, 120.0), ("sic", 10, 45.0, 55.0)]
        #expect(rows.count == expected.count)
        for (row, want) in zip(rows, expected) {
            #expect(row["native_id"] == want.0)
            #expect(row["point_count"] == want.1)
            let times = Self.values(row["rt_seconds"], width: 8)
            let intensities = Self.values(row["intensity"], width: 4)
            #expect(times.count == want.1 && intensities.count == want.1, "float64 times, float32 intensities")
            #expect(abs(times.reduce(0, +) - want.2) < 1e-9)
            #expect(abs(intensities.reduce(0, +) - want.3) < 1e-6)
        }
        #expect((rows.first?["type"] as String?) == "total ion current chromatogram")
        let spectraAnalyses = try t.database.writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT a.sample_id FROM spectrum s JOIN analysis a ON a.id = s.analysis_id")
        }
        #expect(Set(rows.map { $0["sample_id"] as Int64 }) == Set(spectraAnalyses), "same sample as the spectra")

        try t.database.writer.write { db in try db.execute(sql: "DELETE FROM sample") }
        #expect(try t.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chromatogram") } == 0,
                "deleted with their analysis")
    }

    /// An AnIML TIC is stored like an mzML one, on the analysis that holds the step's mass spectrum.
    @Test func animlChromatogramIsStoredWithItsStep() throws {
        let t = try TestDatabase()
        let url = PackagePaths.imports.appendingPathComponent("animl-example.animl")
        let result = try ImportPipeline.standard(database: t.database, observers: []).importFile(at: url, options: .init())
        #expect(result.outcome == .imported, "\(result.errors)")
        let rows = try t.database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.native_id, c.point_count, c.rt_seconds, c.intensity, c.analysis_id,
                       (SELECT s.analysis_id FROM spectrum s) AS spectrum_analysis
                FROM chromatogram c
                """)
        }
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect((row["native_id"] as String?) == "GC-MS screen/TIC")
        #expect((row["point_count"] as Int?) == 5)
        let times = Self.values(row["rt_seconds"], width: 8)
        #expect(times.count == 5 && abs(times.reduce(0, +) - 4260) < 1e-9, "14.0 to 14.4 min in seconds: \(times)")
        #expect(Self.values(row["intensity"], width: 4) == [1200, 8800, 185000, 9400, 1500])
        #expect((row["analysis_id"] as Int64?) == (row["spectrum_analysis"] as Int64?))
    }

    /// Little-endian float64 (`width` 8) or float32 (4) values of a blob.
    static func values(_ data: Data, width: Int) -> [Double] {
        stride(from: 0, to: data.count, by: width).map { offset in
            let bytes = data.subdata(in: offset..<offset + width)
            if width == 8 { return Double(bitPattern: bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }) }
            return Double(Float(bitPattern: bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }))
        }
    }
}
