import DrugCheckImport
import DrugCheckClassify
import DrugCheckModel
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
        let (substanceWeeks, direct) = try db.database.writer.read { d in
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
        try expectWeekSubstancesConsistent(db, step, sourceLocation: sourceLocation)
    }

    /// `report_week_substance` and `report_week_concentration` equal a direct recount from the
    /// classified samples' detected findings.
    func expectWeekSubstancesConsistent(_ db: ReportTestDatabase, _ step: String, sourceLocation: SourceLocation) throws {
        let strata = "s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code, f.substance_id"
        let findings = """
            FROM sample s JOIN sample_classification c ON c.sample_id = s.id JOIN analysis a ON a.sample_id = s.id
            JOIN finding f ON f.analysis_id = a.id WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL
            """
        let queries = [
            ("substance samples",
             "SELECT iso_week, sample_type, source, region, lab_code, substance_id, samples FROM report_week_substance WHERE samples <> 0 ORDER BY 1, 2, 3, 4, 5, 6",
             "SELECT \(strata), COUNT(DISTINCT s.id) \(findings) GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6"),
            ("concentration histogram",
             """
             SELECT iso_week, sample_type, source, region, lab_code, substance_id, unit, concentration, findings
             FROM report_week_concentration WHERE findings <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
             """,
             """
             SELECT \(strata), f.unit, f.concentration, COUNT(*) \(findings) AND f.unit IS NOT NULL AND f.concentration IS NOT NULL
             GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
             """),
        ]
        for (name, maintained, recount) in queries {
            let (a, b) = try db.database.writer.read { d in (try Row.fetchAll(d, sql: maintained), try Row.fetchAll(d, sql: recount)) }
            #expect(!b.isEmpty, "\(step): no \(name)", sourceLocation: sourceLocation)
            #expect(a.map { Array($0.databaseValues) } == b.map { Array($0.databaseValues) },
                    "\(step): \(name) differs from recount", sourceLocation: sourceLocation)
        }
    }

    @Test func importsReimportsReclassificationUpdatesAndDeletes() throws {
        let db = try ReportTestDatabase.withExamples()
        try expectConsistent(db, "after importing the examples")

        let again = try ImportPipeline.standard(database: db.database, observers: [])
            .importFile(at: ReportTestDatabase.root.appendingPathComponent("Imports/be-dca-drugchecking.csv"), options: .init())
        #expect(again.outcome != .rejected)
        try expectConsistent(db, "after importing the same file again")

        let classified = try Reclassification(classifier: SampleClassifier(catalogue: .bundled)).run(in: db.database)
        #expect(classified > 100)
        try expectConsistent(db, "after reclassifying every sample")

        try db.database.writer.write { d in
            try d.execute(sql: "UPDATE sample SET region = 'BE999', iso_week = '2026-W30' WHERE id IN (SELECT id FROM sample ORDER BY id LIMIT 5)")
            try d.execute(sql: "UPDATE sample SET region = NULL WHERE id IN (SELECT id FROM sample ORDER BY id DESC LIMIT 3)")
            try d.execute(sql: "UPDATE sample_classification SET nitazene = 1 - nitazene, unexpected = 1 WHERE sample_id % 7 = 0")
            try d.execute(sql: "DELETE FROM sample WHERE id % 11 = 0")
            try d.execute(sql: "DELETE FROM sample_classification WHERE sample_id % 13 = 0")
            try d.execute(sql: "DELETE FROM analysis WHERE sample_id % 17 = 0")
            try d.execute(sql: "DELETE FROM finding WHERE id % 5 = 0")
            try d.execute(sql: "UPDATE finding SET detected = 1 - detected WHERE id % 9 = 0")
            try d.execute(sql: "UPDATE finding SET substance_id = 'fentanyl' WHERE id % 8 = 0")
            try d.execute(sql: "UPDATE finding SET concentration = 12.5, unit = 'mg' WHERE id % 6 = 0")
            try d.execute(sql: "UPDATE finding SET concentration = NULL WHERE id % 10 = 1")
            try d.execute(sql: "UPDATE finding SET analysis_id = (SELECT MAX(id) FROM analysis) WHERE id % 23 = 0")
            try d.execute(sql: "UPDATE analysis SET sample_id = (SELECT MIN(sample_id) FROM sample_classification) WHERE id % 19 = 0")
            // A classification moved to a sample that had none.
            try d.execute(sql: """
                UPDATE sample_classification
                SET sample_id = (SELECT MIN(id) FROM sample WHERE id NOT IN (SELECT sample_id FROM sample_classification))
                WHERE sample_id = (SELECT MAX(sample_id) FROM sample_classification)
                """)
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
