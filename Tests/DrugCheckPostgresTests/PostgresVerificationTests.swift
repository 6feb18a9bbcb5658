import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

/// The second person's verification on PostgreSQL (issue #18): the examples imported with
/// verification required (one sample amended, so a run has two versions), copied, then the same
/// decisions taken on SQLite and on PostgreSQL. Outcomes, stored samples, aggregates, rollups,
/// the weekly report and the audit entries (with their batch digests) come out the same.
@Suite("PostgreSQL: results verified and rejected as on SQLite")
struct PostgresVerificationTests {
    static let decidedAt = Date(timeIntervalSince1970: 1_792_486_800)
    static let derivedTables = ["report_week_stratum", "report_week_provisional", "report_substance_week", "report_week_substance",
                                "report_week_concentration", "report_week_margin", "report_week_margin_provisional",
                                "report_week_sold_as", "report_week_sold_as_found", "sample_classification", "parked_finding"]

    /// A table's rows in one order on both backends.
    static func rows(_ reader: any StoredRowReader, _ table: String) throws -> [String] {
        try reader.rows("SELECT * FROM \(table)", []).map { "\($0)" }.sorted()
    }

    /// The decisions: every third waiting sample verified, one rejected, and the refusals (a
    /// sample decided already, the importer verifying, an unknown sample).
    static func decide(_ step: ResultVerification, _ pending: [(lab: String, sampleID: String)]) throws -> String {
        var outcomes = try step.decide(pending.enumerated().filter { $0.offset % 3 == 0 }.map(\.element), .verify, by: "an.peeters",
                                       at: decidedAt)
        outcomes += try step.decide([pending[1]], .reject(reason: "vial broken"), by: "an.peeters", at: decidedAt)
        outcomes += try step.decide([pending[0], pending[2], ("BE-XX", "none")], .verify, by: "analyst", at: decidedAt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(outcomes), as: UTF8.self)
    }

    @Test func resultsAreVerifiedAndRejectedAsOnSQLite() throws {
        let (database, directory) = try PostgresBackendTests.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        var pipeline = ImportPipeline.standard(database: database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit\n"
        for (name, percent) in [("first", 60), ("corrected", 55)] {
            let file = directory.appendingPathComponent("\(name).csv")
            try (header + "BE-DCA,S1,powder,drug_checking,,2026-11-17,,GC-MS,Cocaine HCl,true,\(percent),%w/w\n")
                .write(to: file, atomically: true, encoding: .utf8)
            #expect(try pipeline.importFile(at: file, options: .init(importedBy: "analyst")).outcome == .imported)
        }
        for name in PostgresBackendTests.examples {
            let result = try pipeline.importFile(at: TestPostgres.root.appendingPathComponent("Imports/\(name)"), options: .init(importedBy: "analyst"))
            #expect(result.outcome == .imported, "\(name): \(result.errors)")
        }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try DatabaseCopy.run(from: database, to: session)

        let classifier = SampleClassifier(catalogue: .bundled)
        let (sqlite, postgres) = (ResultVerification(database: database, classifier: classifier),
                                  ResultVerification(store: session, classifier: classifier))
        let pending = try sqlite.pending(lab: nil)
        #expect(pending.count > 20)
        #expect(try postgres.pending(lab: nil).map { "\($0.lab)/\($0.sampleID)" } == pending.map { "\($0.lab)/\($0.sampleID)" })
        #expect(try postgres.pending(lab: "BE-DCA", limit: 3).map(\.sampleID) == sqlite.pending(lab: "BE-DCA", limit: 3).map(\.sampleID))
        let outcomes = try Self.decide(sqlite, pending)
        #expect(try Self.decide(postgres, pending) == outcomes)
        #expect(outcomes.contains("four-eyes") && outcomes.contains("no such sample") && outcomes.contains("no result waits"))

        // The stored samples, their classifications and everything derived from them.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let samples = try SampleQuery().fetch(in: database)
        #expect(try encoder.encode(SampleQuery().fetch(from: session).map(SampleDocument.init)) == encoder.encode(samples.map(SampleDocument.init)))
        #expect(samples.contains { $0.sample.analyses.contains { $0.status == .rejected } })
        for table in Self.derivedTables {
            #expect(try Self.rows(session, table) == Self.rows(database, table), "\(table)")
        }
        #expect(try !Self.rows(database, "parked_finding").isEmpty, "S1's first version is parked: its correction counts")

        // The weekly report of every week (its audit head aside: each log stamps its own entries).
        let now = Date()
        let year = try WeeklyReportBuilder(database: database).report(for: ISOWeek("2026-W52")!, trendWeeks: 52, now: now)
        for week in Set(year.trend.filter { $0.tested > 0 }.map(\.week)).sorted() {
            let onSQLite = try WeeklyReportBuilder(database: database).report(for: week, now: now)
            var onPostgres = try WeeklyReportBuilder(source: PostgresReportReader(session: session)).report(for: week, now: now)
            #expect(onPostgres.auditHead?.sequence == onSQLite.auditHead?.sequence)
            onPostgres.auditHead = onSQLite.auditHead
            #expect(try WeeklyReportRenderer.render(onPostgres, as: .json) == WeeklyReportRenderer.render(onSQLite, as: .json), "\(week)")
        }

        // Each decision in PostgreSQL's own log with the same batch digests SQLite recorded.
        let (sqliteLog, postgresLog) = (AuditLog(database: database), AuditLog(reader: session))
        #expect(try postgresLog.verify().isIntact)
        func entries(_ log: AuditLog) throws -> [String] {
            try log.entries().map { "\($0.actor) \($0.kindText) \($0.subject) \($0.details) \($0.batchDigests.sorted { $0.key < $1.key })" }
        }
        #expect(try entries(postgresLog) == entries(sqliteLog))
        #expect(try postgresLog.entries().contains { $0.kind == .verification && !$0.batchDigests.isEmpty })
    }
}
