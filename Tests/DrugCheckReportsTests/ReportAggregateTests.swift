import DrugCheckClassify
import DrugCheckReports
import DrugCheckStore
import Foundation
import GRDB
import Testing

/// The store's maintained report aggregates (migration `report-aggregates`) stay equal to a
/// direct recount through every write path.
@Suite("Report aggregates")
struct ReportAggregateTests {
    func expectConsistent(_ db: ReportTestDatabase, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (aggregate, recount) = try db.aggregateAndRecount()
        #expect(!recount.isEmpty, "\(step): no samples", sourceLocation: sourceLocation)
        #expect(aggregate.map { Array($0.databaseValues) } == recount.map { Array($0.databaseValues) },
                "\(step): aggregate differs from recount", sourceLocation: sourceLocation)
        let (substanceWeeks, direct) = try db.database.pool.read { d in
            (try Row.fetchAll(d, sql: "SELECT substance_id, region, iso_week, findings FROM report_substance_week WHERE findings <> 0 ORDER BY 1, 2, 3"),
             try Row.fetchAll(d, sql: """
                SELECT substance_id, region, week, COUNT(*) FROM (
                    SELECT f.substance_id, '' AS region, s.iso_week AS week FROM finding f JOIN analysis a ON a.id = f.analysis_id
                    JOIN sample s ON s.id = a.sample_id WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL
                    UNION ALL
                    SELECT f.substance_id, s.region, s.iso_week FROM finding f JOIN analysis a ON a.id = f.analysis_id
                    JOIN sample s ON s.id = a.sample_id
                    WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL AND s.region IS NOT NULL)
                GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """))
        }
        #expect(substanceWeeks.map { Array($0.databaseValues) } == direct.map { Array($0.databaseValues) },
                "\(step): substance-week counts differ", sourceLocation: sourceLocation)
    }

    @Test func importsReimportsReclassificationUpdatesAndDeletes() throws {
        let db = try ReportTestDatabase.withExamples()
        try expectConsistent(db, "after importing the examples")

        let again = try FileImporter(database: db.database)
            .importFile(at: ReportTestDatabase.root.appendingPathComponent("Imports/be-dca-drugchecking.csv"), options: .init())
        #expect(again.outcome != .rejected)
        try expectConsistent(db, "after importing the same file again")

        let classified = try Classifications(classifier: SampleClassifier(catalogue: .bundled)).reclassify(in: db.database)
        #expect(classified > 100)
        try expectConsistent(db, "after reclassifying every sample")

        try db.database.pool.write { d in
            try d.execute(sql: "UPDATE sample SET region = 'BE999', iso_week = '2026-W30' WHERE id IN (SELECT id FROM sample ORDER BY id LIMIT 5)")
            try d.execute(sql: "UPDATE sample SET region = NULL WHERE id IN (SELECT id FROM sample ORDER BY id DESC LIMIT 3)")
            try d.execute(sql: "UPDATE sample_classification SET nitazene = 1 - nitazene, unexpected = 1 WHERE sample_id % 7 = 0")
            try d.execute(sql: "DELETE FROM sample WHERE id % 11 = 0")
            try d.execute(sql: "DELETE FROM sample_classification WHERE sample_id % 13 = 0")
            try d.execute(sql: "DELETE FROM analysis WHERE sample_id % 17 = 0")
            try d.execute(sql: "DELETE FROM finding WHERE id % 5 = 0")
            try d.execute(sql: "UPDATE finding SET detected = 1 - detected WHERE id % 9 = 0")
            try d.execute(sql: "UPDATE finding SET substance_id = 'fentanyl' WHERE id % 8 = 0")
        }
        try expectConsistent(db, "after updates and deletes")
    }

    @Test func generatedData() throws {
        let db = try ReportTestDatabase()
        let totals = try SyntheticSurveillanceData(findings: 5_000, weeks: 20, lastWeek: ISOWeek("2026-W47")!)
            .generate(into: db.database, catalogue: .bundled)
        #expect(totals.findings > 4_000 && totals.findings < 6_000)
        try expectConsistent(db, "after generating")
    }
}
