import DrugCheckBulletins
import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// Amendments on the real drug-checking export of `Imports/`: a lab corrects one sample's
/// result; both versions are kept, reports count the latest verified one, and bulletins resting
/// on it are flagged.
@Suite("Amendments with history")
struct AmendmentTests {
    static let export = PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv")
    static let sample = SampleReference(lab: "BE-DCA", sampleID: "DCA-36001")

    /// The export imported by `analyst` with verification required, every result verified by `an.peeters`.
    static func verifiedImport() throws -> (TestDatabase, ImportPipeline) {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        #expect(try pipeline.importFile(at: export, options: .init(importedBy: "analyst")).outcome == .imported)
        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide(try step.pending(lab: nil), .verify, by: "an.peeters")
        return (t, pipeline)
    }

    /// The export's own rows of the sample, with `change` applied to each: a corrected re-export.
    static func corrected(_ t: TestDatabase, _ change: (String) -> String) throws -> URL {
        let lines = try String(contentsOf: export, encoding: .utf8).split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.hasPrefix("\(sample.lab),\(sample.sampleID),") }
        #expect(rows.count == 1)
        return try t.file("corrected.csv", ([lines[0]] + rows.map(change)).joined(separator: "\n") + "\n")
    }

    /// The sample's detected concentrations as the report aggregates count them, and its counted state.
    static func counted(_ t: TestDatabase) throws -> (concentrations: [Double], provisional: Bool?) {
        let stored = try #require(try t.database.sample(lab: sample.lab, id: sample.sampleID))
        let concentrations = try t.database.writer.read { db in
            try Double.fetchAll(db, sql: """
                SELECT concentration FROM report_week_concentration WHERE lab_code = ? AND substance_id = 'n-pyrrolidino-etonitazene' AND findings > 0
                """, arguments: [sample.lab])
        }
        return (concentrations, stored.sample.isProvisional)
    }

    @Test func theAmendedVersionCountsOnceVerifiedAndTheOriginalIsKept() throws {
        let (t, pipeline) = try Self.verifiedImport()
        #expect(try Self.counted(t).concentrations == [0.47])
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",0.47,mg/mL,", with: ",0.31,mg/mL,") }
        let amendment = Amendment(samples: [Self.sample], reason: "dilution factor corrected")
        let result = try pipeline.importFile(at: file, options: .init(labCode: "BE-DCA", importedBy: "analyst"), amending: amendment)
        #expect(result.outcome == .imported && result.amendedSamples == [Self.sample.description])

        // Until a second person verifies the amendment, reports keep the verified original.
        #expect(try Self.counted(t) == ([0.47], false))
        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        #expect(try step.pending(lab: "BE-DCA").map(\.sampleID) == [Self.sample.sampleID])
        #expect(try step.decide([(Self.sample.lab, Self.sample.sampleID)], .verify, by: "an.peeters")[0].decided == 1)
        #expect(try Self.counted(t) == ([0.31], false))

        let versions = try #require(try t.database.analysisVersions(lab: Self.sample.lab, sampleID: Self.sample.sampleID))
        #expect(versions.count == 2)
        #expect(versions[0].supersededBy == versions[1].analysisID && !versions[0].counted && versions[1].counted)
        #expect(versions[0].analysis.findings.first?.concentration?.value == 0.47, "the original is kept as it was")
        #expect(versions[1].reason == "dilution factor corrected" && versions[1].file == "corrected.csv")
        #expect(FindingChange.changes(from: [versions[0].analysis], to: [versions[1].analysis]) == [
            .concentrationChanged("n-pyrrolidino-etonitazene", from: Concentration(value: 0.47, unit: .mgPerML),
                                  to: Concentration(value: 0.31, unit: .mgPerML)),
        ])
        let log = AuditLog(database: t.database)
        #expect(try log.entries().contains { $0.kind == .amendment && $0.details.contains("dilution factor corrected") })
        #expect(try log.verify().isIntact)
    }

    @Test func aPastWeeksReportSaysWhenItsFiguresChanged() throws {
        let (t, pipeline) = try Self.verifiedImport()
        let week = try #require(try t.database.sample(lab: Self.sample.lab, id: Self.sample.sampleID)?.week)
        let builder = WeeklyReportBuilder(database: t.database)
        let now = Date()
        let first = try builder.report(for: week, now: now)
        #expect(first.editions?.count == 1)
        #expect(try builder.report(for: week, now: now.addingTimeInterval(60)).editions?.count == 1, "the same figures are the same edition")
        #expect(!first.notes.contains { $0.contains("changed since") })

        // The sample's nitazene finding was a mistake: the amendment, once verified, changes the week's figures.
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",N-pyrrolidino etonitazene,true,", with: ",N-pyrrolidino etonitazene,false,") }
        _ = try pipeline.importFile(at: file, options: .init(labCode: "BE-DCA", importedBy: "analyst"),
                                    amending: Amendment(samples: [Self.sample], reason: "false positive: carry-over"))
        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide([(Self.sample.lab, Self.sample.sampleID)], .verify, by: "an.peeters")
        let again = try builder.report(for: week, now: now.addingTimeInterval(120))
        #expect(again.editions?.count == 2)
        #expect(again.notes.first?.contains("changed since this report was first produced") == true)
        let nitazene = { (r: WeeklyReport) in r.cells.first { $0.reportClass == .nitazene && $0.stratum == WeeklyReport.all }?.positive }
        #expect(try #require(nitazene(again)) == (try #require(nitazene(first))) - 1)
        // The current week records no edition: its figures are still expected to change.
        #expect(try builder.report(for: CalendarDate.today().isoWeek).editions == nil)
    }

    @Test func aRejectedAmendmentLeavesTheVerifiedOriginalCounted() throws {
        let (t, pipeline) = try Self.verifiedImport()
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",N-pyrrolidino etonitazene,true,", with: ",N-pyrrolidino etonitazene,false,") }
        _ = try pipeline.importFile(at: file, options: .init(labCode: "BE-DCA", importedBy: "analyst"),
                                    amending: Amendment(samples: [Self.sample], reason: "re-measured"))
        let before = try #require(try t.database.sample(lab: Self.sample.lab, id: Self.sample.sampleID)).classification
        #expect(before?.isPositive(for: .nitazene) == true, "the verified positive counts while the amendment waits")
        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide([(Self.sample.lab, Self.sample.sampleID)], .reject(reason: "wrong vial"), by: "an.peeters")
        let after = try #require(try t.database.sample(lab: Self.sample.lab, id: Self.sample.sampleID))
        #expect(after.classification?.isPositive(for: .nitazene) == true)
        #expect(try Self.counted(t).concentrations == [0.47])
        let versions = try #require(try t.database.analysisVersions(lab: Self.sample.lab, sampleID: Self.sample.sampleID))
        #expect(versions.map(\.analysis.status) == [.verified, .rejected])
        #expect(try AuditLog(database: t.database).verify().isIntact)
    }

    @Test func aCorrectedReExportOfTheSameRunIsAnAmendmentToo() throws {
        let (t, pipeline) = try Self.verifiedImport()
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",0.47,mg/mL,", with: ",0.52,mg/mL,") }
        let result = try pipeline.importFile(at: file, options: .init(importedBy: "analyst"))
        #expect(result.amendedSamples == [Self.sample.description])
        let versions = try #require(try t.database.analysisVersions(lab: Self.sample.lab, sampleID: Self.sample.sampleID))
        #expect(versions.count == 2 && versions[1].reason == nil && versions[0].supersededBy == versions[1].analysisID)
    }

    @Test func anAmendmentHoldsOnlyTheNamedStoredSamples() throws {
        let (t, pipeline) = try Self.verifiedImport()
        let other = try Self.corrected(t) { $0.replacingOccurrences(of: "DCA-36001", with: "DCA-99999") }
        let rejected = try pipeline.importFile(at: other, options: .init(labCode: "BE-DCA"),
                                               amending: Amendment(samples: [SampleReference(lab: "BE-DCA", sampleID: "DCA-99999")], reason: "x"))
        #expect(rejected.outcome == .rejected && rejected.errors[0].message.contains("no stored results to amend"))
        let unnamed = try Self.corrected(t) { $0 }
        let wrong = try pipeline.importFile(at: unnamed, options: .init(labCode: "BE-DCA"),
                                            amending: Amendment(samples: [SampleReference(lab: "BE-DCA", sampleID: "DCA-36002")], reason: "x"))
        #expect(wrong.outcome == .rejected && wrong.errors[0].message.contains("not one of the samples amended"))
        #expect(wrong.errors[0].line == 2)
        #expect(try t.database.analysisVersions(lab: Self.sample.lab, sampleID: Self.sample.sampleID)?.count == 1)
    }

    @Test func aPublishedBulletinOnTheAmendedSampleIsFlaggedForReview() throws {
        let (t, _) = try Self.verifiedImport()
        let scanner = BulletinScanner(database: t.database)
        _ = try scanner.scan(actor: "import")
        let store = BulletinStore(database: t.database)
        let id = try #require(try store.bulletins().first { $0.facts.sampleIDs.count == 1 && $0.facts.substanceIDs == ["n-pyrrolidino-etonitazene"] }?.id)
        let workflow = BulletinWorkflow(database: t.database)
        try workflow.approve(id, by: "rev-1")
        try workflow.publish(id, by: "rev-2")

        var pipeline = ImportPipeline.standard(database: t.database, observers: [BulletinTriggerObserver(scanner: scanner)])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",0.47,mg/mL,", with: ",0.31,mg/mL,") }
        let result = try pipeline.importFile(at: file, options: .init(labCode: "BE-DCA", importedBy: "analyst"),
                                             amending: Amendment(samples: [Self.sample], reason: "dilution factor corrected"))
        let reports = pipeline.notify([result])
        #expect(reports[0].summary?.contains("flagged for review") == true)
        let flagged = try #require(try store.bulletins().first { $0.id == id })
        #expect(flagged.reviewFlag?.contains(Self.sample.description) == true)
        #expect(try store.bulletins().filter { $0.reviewFlag != nil }.allSatisfy { $0.facts.sampleIDs.count >= 1 })
        try workflow.cancel(id, by: "rev-2", note: "concentration corrected; see the update")
        #expect(try store.bulletins().first { $0.id == id }?.reviewFlag == nil)
    }

    @Test func tamperingWithAParkedVersionIsFound() throws {
        let (t, pipeline) = try Self.verifiedImport()
        let file = try Self.corrected(t) { $0.replacingOccurrences(of: ",0.47,mg/mL,", with: ",0.31,mg/mL,") }
        _ = try pipeline.importFile(at: file, options: .init(labCode: "BE-DCA", importedBy: "analyst"),
                                    amending: Amendment(samples: [Self.sample], reason: "dilution factor corrected"))
        #expect(try t.database.writer.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM parked_finding") } == 1)
        try t.database.writer.write { try $0.execute(sql: "UPDATE parked_finding SET concentration = 0.9") }
        let report = try AuditLog(database: t.database).verify()
        #expect(!report.isIntact)
    }
}
