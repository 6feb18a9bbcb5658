import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
@testable import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// The week rollups (``WeekRollups``: the report's margins and the sold-as tables) are rebuilt
/// for the weeks each write touches; after every kind of write they must equal a rebuild of
/// every week from the stored rows.
@Suite("Week rollups follow every write")
struct WeekRollupTests {
    /// Each rollup table with its count column.
    static let tables = ["report_week_margin": "tested", "report_week_margin_provisional": "tested", 
                         "report_week_sold_as": "samples", "report_week_sold_as_found": "samples"]

    /// The rollup tables as kept, and as a rebuild of every week makes them (the rebuild rolls back).
    static func keptAndRebuilt(_ t: TestDatabase) throws -> (kept: [String: [String]], rebuilt: [String: [String]]) {
        let kept = try rows(t.database.writer)
        struct Rollback: Error { var rows: [String: [String]] }
        do {
            try t.database.writer.write { db in
                try WeekRollups.rebuild(db, weeks: "IS NOT NULL")
                throw Rollback(rows: try rows(db))
            }
        } catch let rollback as Rollback {
            return (kept, rollback.rows)
        }
        Issue.record("the rebuild did not run")
        return (kept, [:])
    }

    /// Rows with a count of zero are left out: the margins sum strata that row triggers may have left at zero.
    static func rows(_ reader: some DatabaseReader) throws -> [String: [String]] {
        try reader.read { try rows($0) }
    }

    static func rows(_ db: Database) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for (table, count) in tables {
            result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(count) <> 0").map { row in
                row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: ",")
            }.sorted()
        }
        return result
    }

    static func expectCurrent(_ t: TestDatabase, after step: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (kept, rebuilt) = try keptAndRebuilt(t)
        #expect(kept == rebuilt, "after \(step)", sourceLocation: sourceLocation)
    }

    @Test func importsVerificationRejectionAmendmentAndReclassificationKeepThemCurrent() throws {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        for name in ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "results-example.xml", "mzml-example.mzML"] {
            #expect(try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent(name),
                                            options: .init(importedBy: "analyst")).outcome == .imported)
        }
        try Self.expectCurrent(t, after: "imports")

        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        let pending = try step.pending(lab: nil)
        #expect(pending.count > 20)
        _ = try step.decide(Array(pending.prefix(15)), .verify, by: "an.peeters")
        try Self.expectCurrent(t, after: "verification")
        #expect(try Self.rows(t.database.writer).values.allSatisfy { !$0.isEmpty }, "the examples fill every rollup")
        _ = try step.decide(Array(pending.dropFirst(15).prefix(3)), .reject(reason: "contaminated blank"), by: "an.peeters")
        try Self.expectCurrent(t, after: "rejection")

        // A corrected re-export of one verified sample: the new version waits, the old one counts.
        let export = PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv")
        let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let verified = try #require(pending.first { $0.lab == "BE-DCA" })
        let rows = lines.filter { $0.hasPrefix("BE-DCA,\(verified.sampleID),") }
        #expect(!rows.isEmpty)
        let corrected = try t.file("corrected.csv", ([lines[0]] + rows.map { $0.replacingOccurrences(of: ",true,", with: ",false,") })
            .joined(separator: "\n") + "\n")
        let amendment = Amendment(samples: [SampleReference(lab: "BE-DCA", sampleID: verified.sampleID)], reason: "false positive")
        #expect(try pipeline.importFile(at: corrected, options: .init(labCode: "BE-DCA", importedBy: "analyst"), amending: amendment).outcome == .imported)
        try Self.expectCurrent(t, after: "amendment")

        // A catalogue without cocaine: its findings and sold-as labels lose their catalogue id.
        let catalogue = try SubstanceCatalogue(version: "without-cocaine", substances: SubstanceCatalogue.bundled.substances.filter { $0.id != "cocaine" })
        try Reclassification(classifier: SampleClassifier(catalogue: catalogue)).run(in: t.database)
        try Self.expectCurrent(t, after: "reclassification")
        let soldAs = try t.database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM report_week_sold_as WHERE NOT by_id AND lower(label) = 'cocaine'") ?? 0
        }
        #expect(soldAs > 0, "cocaine is now a sold-as text, not a catalogue id")
    }
}
