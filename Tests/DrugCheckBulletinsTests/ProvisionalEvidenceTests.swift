import DrugCheckBulletins
import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckStore
import Foundation
import XCTest

/// Early warning is drafted from results as soon as they are imported, but a bulletin is not
/// published until the results it rests on are verified.
final class ProvisionalEvidenceTests: XCTestCase {
    func testABulletinOnUnverifiedResultsIsDraftedButNotPublishedUntilTheyAreVerified() throws {
        let t = try TestDatabase()
        let url = t.folder.appendingPathComponent("pending.csv")
        try ([TestDatabase.header] + (1...3).map {
            TestDatabase.row("N\($0)", "vape_refill", soldAs: "THC vape", date: "2026-09-0\($0)", substance: "protonitazene")
        }).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        XCTAssertEqual(try pipeline.importFile(at: url, options: ImportOptions(importedBy: "analyst")).outcome, .imported)

        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(0))
        let bulletins = try BulletinStore(database: t.database).bulletins()
        XCTAssertFalse(bulletins.isEmpty, "provisional results still raise drafts")
        let workflow = BulletinWorkflow(database: t.database)
        let id = bulletins[0].id
        try workflow.approve(id, by: "an", at: Instant.at(10))
        XCTAssertThrowsError(try workflow.publish(id, by: "an", at: Instant.at(11))) { error in
            guard case BulletinWorkflowError.provisionalEvidence(id, let samples)? = error as? BulletinWorkflowError else {
                return XCTFail("\(error)")
            }
            XCTAssertGreaterThan(samples, 0)
        }

        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide(try step.pending(lab: nil), .verify, by: "verifier")
        XCTAssertNoThrow(try workflow.publish(id, by: "an", at: Instant.at(12)))
    }
}
