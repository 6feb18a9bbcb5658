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

        let store = BulletinStore(database: t.database)
        let draft = try BulletinDocument.current(try XCTUnwrap(try store.bulletin(id: id)), messages: [])
        XCTAssertEqual(draft.facts.provisionalSamples, bulletins[0].facts.sampleCount)
        for (language, word) in [("en", "Provisional"), ("nl", "Voorlopig"), ("fr", "Provisoire"), ("de", "Vorläufig")] {
            let text = try XCTUnwrap(draft.texts.first { $0.language.rawValue == language })
            XCTAssertTrue(text.description.contains(word), "\(language): \(text.description)")
        }
        XCTAssertTrue(CAPWriter.xml(draft).contains("drugcheck:provisionalSamples"))

        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide(try step.pending(lab: nil), .verify, by: "verifier")
        XCTAssertNoThrow(try workflow.publish(id, by: "an", at: Instant.at(12)))
        // Verified before publication: the message no longer says provisional, and carries the audit head.
        let published = try BulletinDocument.current(try XCTUnwrap(try store.bulletin(id: id)), messages: try store.messages(bulletinID: id))
        XCTAssertNil(published.facts.provisionalSamples)
        XCTAssertFalse(published.texts.contains { $0.description.contains("Provisional") || $0.description.contains("Voorlopig") })
        let head = try XCTUnwrap(try AuditLog(database: t.database).head())
        XCTAssertEqual(published.auditHead?.hasSuffix(":" + head.sha256), false, "the publication itself is logged after the message")
        let cap = CAPWriter.xml(published)
        XCTAssertTrue(cap.contains("<valueName>drugcheck:auditHead</valueName>"))
        let recorded = try XCTUnwrap(published.auditHead)
        XCTAssertTrue(try AuditLog(database: t.database).entries().contains { "\($0.sequence):\($0.entrySHA256)" == recorded })
    }

    func testABulletinPublishedAtOnceOnUnverifiedResultsSaysProvisional() throws {
        let t = try TestDatabase()
        let url = t.folder.appendingPathComponent("pending.csv")
        try ([TestDatabase.header, TestDatabase.row("N1", "vape_refill", soldAs: "THC vape", date: "2026-09-01", substance: "protonitazene")])
            .joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        _ = try pipeline.importFile(at: url, options: ImportOptions(importedBy: "analyst"))
        var configuration = BulletinConfiguration()
        configuration.firstDetection.publishImmediately = true
        let scan = try BulletinScanner(database: t.database, configuration: configuration, catalogue: .bundled).scan(actor: "scanner", at: Instant.at(0))
        let id = try XCTUnwrap(scan.published.first)
        let store = BulletinStore(database: t.database)
        let message = try XCTUnwrap(try store.messages(bulletinID: id).last)
        XCTAssertEqual(message.facts.provisionalSamples, 1)
        let document = try BulletinDocument.current(try XCTUnwrap(try store.bulletin(id: id)), messages: try store.messages(bulletinID: id))
        XCTAssertTrue(document.texts.allSatisfy { text in ["Provisional", "Voorlopig", "Provisoire", "Vorläufig"].contains { text.description.contains($0) } })
        XCTAssertEqual(BulletinJSON(document).provisional_samples, 1)
    }
}
