import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Verification by a second person")
struct VerificationTests {
    /// The real drug-checking export of `Imports/`, imported by `analyst` under a policy that
    /// requires verification, with BE-DCA's automatic rule for confident LC-HRMS results.
    static func imported(rules: [AutomaticVerificationRule] = []) throws -> TestDatabase {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: rules)
        let result = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"),
                                             options: .init(importedBy: "analyst"))
        #expect(result.outcome == .imported)
        return t
    }

    /// (verified tested, provisional tested) over all strata of the aggregates.
    static func tested(_ t: TestDatabase) throws -> (verified: Int, provisional: Int) {
        try t.database.writer.read { db in
            let all = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(tested), 0) FROM report_week_stratum") ?? 0
            let provisional = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(tested), 0) FROM report_week_provisional") ?? 0
            return (all - provisional, provisional)
        }
    }

    static func step(_ t: TestDatabase) -> ResultVerification { ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled)) }

    @Test func resultsWaitAsProvisionalUntilASecondPersonVerifiesThem() throws {
        let t = try Self.imported()
        let samples = try t.counts()["sample"]!
        #expect(try Self.tested(t) == (0, samples), "nothing counts before verification")
        let pending = try Self.step(t).pending(lab: "BE-DCA")
        #expect(pending.count == samples)

        // The analyst who imported may not verify (four-eyes rule).
        let own = try Self.step(t).decide([pending[0]], .verify, by: "analyst")
        #expect(own[0].decided == 0 && own[0].refused?.contains("four-eyes") == true)
        #expect(try Self.tested(t) == (0, samples))

        let done = try Self.step(t).decide(Array(pending.prefix(10)), .verify, by: "an.peeters")
        #expect(done.allSatisfy { $0.decided == 1 && $0.refused == nil })
        #expect(try Self.tested(t) == (10, samples - 10))
        let first = try #require(try t.database.sample(lab: pending[0].lab, id: pending[0].sampleID))
        #expect(first.sample.analyses[0].verification?.verifiedBy == "an.peeters")
        #expect(first.sample.analyses[0].status == .verified)
        #expect(try Self.step(t).decide([pending[0]], .verify, by: "an.peeters")[0].refused == "no result waits for verification")
        // Each decision is in the audit log under the sample, and the chain with the batches' digests verifies.
        #expect(try AuditLog(database: t.database).entries(sample: (lab: pending[0].lab, id: pending[0].sampleID)).contains { $0.kind == .verification })
        #expect(try AuditLog(database: t.database).verify().isIntact)
    }

    /// Decisions are committed in groups: each sample keeps its own audit entry, and each group
    /// records its batch's digest once (hashing the batch per sample made verifying a large batch
    /// quadratic). A refusal in a group holds back nothing; the chain and the digests verify.
    @Test func decisionsRecordTheBatchDigestOncePerGroup() throws {
        let t = try Self.imported()
        var step = Self.step(t)
        step.samplesPerTransaction = 4
        let pending = try step.pending(lab: nil)
        #expect(pending.count >= 10)
        let refs = [pending[0], ("BE-DCA", "no-such-sample")] + pending.dropFirst()
        let outcomes = try step.decide(refs, .verify, by: "an.peeters")
        #expect(outcomes.map(\.sampleID) == refs.map(\.sampleID))
        #expect(outcomes.filter { $0.refused == nil }.count == pending.count)
        #expect(outcomes[1].refused == "no such sample")
        let decisions = try AuditLog(database: t.database).entries().filter { $0.kind == .verification }
        #expect(decisions.map(\.subject) == pending.map { "\($0.lab)/\($0.sampleID)" })
        let groups = (refs.count + 3) / 4
        #expect(decisions.filter { !$0.batchDigests.isEmpty }.count == groups)
        #expect(try Self.tested(t) == (pending.count, 0))
        #expect(try AuditLog(database: t.database).verify().isIntact)
    }

    /// The queue's pages, read in one query each, hold exactly the samples waiting, in key order,
    /// each with the week and detected substances its stored sample shows; verified samples leave it.
    @Test func theQueueReadsPagesOfWhatWaitsWithWhatWasFound() throws {
        let t = try Self.imported()
        let pending = try Self.step(t).pending(lab: nil)
        #expect(pending.count > 7)
        var pages: [[VerificationQueueRow]] = []
        var after: (lab: String, sampleID: String)?
        repeat {
            let page = try t.database.verificationQueue(lab: nil, after: after, limit: 7)
            pages.append(page)
            after = page.last.map { ($0.lab, $0.sampleID) }
        } while pages.last?.count == 7
        let queue = pages.flatMap { $0 }
        #expect(queue.map { "\($0.lab)/\($0.sampleID)" } == pending.map { "\($0.lab)/\($0.sampleID)" })
        for row in queue {
            let stored = try #require(try t.database.sample(lab: row.lab, id: row.sampleID))
            #expect(row.week == stored.week)
            let found = stored.sample.analyses.filter { $0.status == .submitted }.flatMap(\.findings).filter(\.detected)
            #expect(row.found == Set(found.map { $0.substanceID ?? $0.reportedName }).sorted(), "\(row.lab)/\(row.sampleID)")
        }
        #expect(queue.contains { !$0.found.isEmpty })
        #expect(try t.database.verificationQueue(lab: "NO-SUCH-LAB", after: nil, limit: 7).isEmpty)

        _ = try Self.step(t).decide(Array(pending.prefix(3)), .verify, by: "an.peeters")
        let rest = try t.database.verificationQueue(lab: "BE-DCA", after: nil, limit: 1000)
        #expect(rest.map(\.sampleID) == pending.dropFirst(3).map(\.sampleID))
    }

    @Test func aRejectedResultCountsNowhereAndKeepsItsReason() throws {
        let t = try Self.imported()
        let ref = try #require(try Self.step(t).pending(lab: nil).first)
        let outcome = try Self.step(t).decide([ref], .reject(reason: "contaminated vial"), by: "an.peeters")
        #expect(outcome[0].decided == 1)
        let sample = try #require(try t.database.sample(lab: ref.lab, id: ref.sampleID))
        #expect(sample.sample.analyses[0].verification?.reason == "contaminated vial")
        #expect(sample.classification == nil, "its only result was rejected: not a tested sample")
        #expect(try Self.tested(t).provisional == t.counts()["sample"]! - 1)
    }

    @Test func aLabsAutomaticRuleVerifiesOnImportAndSaysSo() throws {
        let rule = AutomaticVerificationRule(lab: "BE-DCA", technique: .lchrms, minimumMatchScore: 0.9)
        let t = try Self.imported(rules: [rule])
        let all = try SampleQuery(labCode: "BE-DCA").fetch(in: t.database)
        let byRule = all.filter { $0.sample.analyses.allSatisfy { $0.verification?.rule == rule.description } }
        // Independent tally: LC-HRMS samples whose every detected finding has a match score ≥ 0.9.
        let expected = all.filter { s in
            s.sample.analyses.allSatisfy { a in a.technique == .lchrms && a.findings.filter(\.detected).allSatisfy { ($0.matchScore ?? 0) >= 0.9 } }
        }
        #expect(!byRule.isEmpty && byRule.map(\.sample.labSampleID) == expected.map(\.sample.labSampleID))
        #expect(try Self.tested(t).verified == byRule.filter { $0.week != nil }.count)
    }

    /// A policy file as the `verify` help shows it (`{"required": true}`) needs no rules; a file
    /// that is no policy is refused with what was expected.
    @Test func aPolicyFileMayLeaveOutTheRules() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (plain, ruled, wrong) = (directory.appendingPathComponent("plain.json"), directory.appendingPathComponent("ruled.json"),
                                     directory.appendingPathComponent("wrong.json"))
        try #"{"required": true}"#.write(to: plain, atomically: true, encoding: .utf8)
        try #"{"required": true, "rules": [{"lab": "BE-DCA", "technique": "LC-HRMS", "minimumMatchScore": 0.9}]}"#
            .write(to: ruled, atomically: true, encoding: .utf8)
        try #"{"rules": []}"#.write(to: wrong, atomically: true, encoding: .utf8)
        let policy = try VerificationPolicy.load(plain.path)
        #expect(policy.required && policy.rules.isEmpty)
        #expect(try VerificationPolicy.load(ruled.path).rules.count == 1)
        #expect(throws: VerificationPolicyError.self) { _ = try VerificationPolicy.load(wrong.path) }
    }

    @Test func withoutAPolicyResultsCountAtOnceAndTheRuleSaysWhy() throws {
        let t = try TestDatabase()
        _ = try ImportPipeline.standard(database: t.database, observers: [])
            .importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init())
        #expect(try Self.tested(t).provisional == 0)
        let s = try #require(try SampleQuery(labCode: "BE-DCA").fetch(in: t.database).first)
        #expect(s.sample.analyses[0].verification?.rule == "verification not required by this deployment")
    }

    @Test func theBatchKeepsTheProvisionalAggregatesAsTheRowTriggersDo() throws {
        let t = try Self.imported()
        _ = try Self.step(t).decide(Array(try Self.step(t).pending(lab: nil).prefix(7)), .verify, by: "an.peeters")
        let tables = ["report_week_stratum", "report_week_provisional", "report_week_substance", "report_week_concentration"]
        let kept = try t.snapshot(tables)
        try t.database.write { tx in
            for id in try tx.sampleIDs() {
                try tx.removeClassification(of: id)
                try tx.reclassify(id, with: SampleClassifier(catalogue: .bundled).classification(of:))
            }
        }
        #expect(try t.snapshot(tables) == kept)
        #expect(!(kept["report_week_provisional"] ?? []).isEmpty)
    }
}
