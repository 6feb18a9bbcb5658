import DrugCheckBulletins
import DrugCheckStore
import XCTest

/// Review workflow, four-eyes rule, audit log, updates of the same event, cancel and error.
final class LifecycleTests: XCTestCase {
    typealias R = TestDatabase

    private func carfentanilBulletin(_ t: TestDatabase, config: BulletinConfiguration = .init()) throws -> Bulletin {
        try t.importRows([R.row("C1", "powder", soldAs: "heroin", date: "2026-09-01", substance: "carfentanil")], name: "c1")
        try BulletinScanner(database: t.database, configuration: config).scan(actor: "scanner", at: Instant.at(0))
        return try XCTUnwrap(BulletinStore(database: t.database).bulletins().first { $0.subject == "high_potency:carfentanil" })
    }

    func testFourEyesApprovalThenPublicationWithAudit() throws {
        let t = try TestDatabase()
        let workflow = BulletinWorkflow(database: t.database)
        let b = try carfentanilBulletin(t)
        XCTAssertEqual(b.state, .draft)
        XCTAssertEqual(b.messageType, .alert)

        XCTAssertThrowsError(try workflow.publish(b.id, by: "an", at: Instant.at(1))) {
            XCTAssertEqual($0 as? BulletinWorkflowError, .invalidTransition(id: b.id, from: .draft, action: "published"))
        }
        XCTAssertThrowsError(try workflow.approve(b.id, by: "scanner", at: Instant.at(1))) {
            XCTAssertEqual($0 as? BulletinWorkflowError, .fourEyes(id: b.id, user: "scanner"))
        }
        XCTAssertThrowsError(try workflow.approve(b.id, by: " ", at: Instant.at(1))) {
            XCTAssertEqual($0 as? BulletinWorkflowError, .noUser)
        }
        try workflow.approve(b.id, by: "an", at: Instant.at(2))
        try workflow.publish(b.id, by: "bo", at: Instant.at(3))

        let store = BulletinStore(database: t.database)
        XCTAssertEqual(try store.bulletin(id: b.id)?.state, .published)
        XCTAssertEqual(try store.bulletin(id: b.id)?.approvedBy, "an")
        let audit = try store.audit(bulletinID: b.id)
        XCTAssertEqual(audit.map(\.action), ["created", "approved", "published"])
        XCTAssertEqual(audit.map(\.actor), ["scanner", "an", "bo"])
        XCTAssertEqual(audit.map(\.at), [Instant.at(0), Instant.at(2), Instant.at(3)])
        let messages = try store.messages(bulletinID: b.id)
        XCTAssertEqual(messages.map(\.identifier), ["drugcheck-bulletin-\(b.id)-v1"])
        XCTAssertEqual(messages.first?.sent, Instant.at(3))
    }

    func testTheSameEventUpdatesTheBulletinWithReferences() throws {
        let t = try TestDatabase()
        let workflow = BulletinWorkflow(database: t.database)
        let store = BulletinStore(database: t.database)
        let b = try carfentanilBulletin(t)
        try workflow.approve(b.id, by: "an", at: Instant.at(1))
        try workflow.publish(b.id, by: "an", at: Instant.at(2))

        // Five days later, another carfentanil sample: the same event.
        try t.importRows([R.row("C2", "powder", soldAs: "heroin", date: "2026-09-06", region: "BE211", substance: "carfentanil")], name: "c2")
        let result = try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(10))
        XCTAssertTrue(result.updated.contains(b.id))
        let updated = try XCTUnwrap(store.bulletin(id: b.id))
        XCTAssertEqual(updated.version, 2)
        XCTAssertEqual(updated.messageType, .update)
        XCTAssertEqual(updated.state, .draft, "an update needs a new approval")
        XCTAssertEqual(updated.facts.sampleCount, 2)
        XCTAssertEqual(try store.bulletins().filter { $0.subject == "high_potency:carfentanil" }.count, 1)

        XCTAssertThrowsError(try workflow.approve(b.id, by: "scanner", at: Instant.at(11)), "the editor cannot approve")
        try workflow.approve(b.id, by: "an", at: Instant.at(11))
        try workflow.publish(b.id, by: "an", at: Instant.at(12))
        let document = try BulletinDocument.current(try XCTUnwrap(store.bulletin(id: b.id)), messages: store.messages(bulletinID: b.id))
        XCTAssertEqual(document.messageType, .update)
        XCTAssertEqual(document.references.map(\.identifier), ["drugcheck-bulletin-\(b.id)-v1"])
        let cap = CAPWriter.xml(document)
        XCTAssertTrue(cap.contains("<msgType>Update</msgType>"))
        XCTAssertTrue(cap.contains("<references>drugcheck@example.org,drugcheck-bulletin-\(b.id)-v1,2026-10-20T09:02:00+00:00</references>"))

        // Unchanged data: no update. Months later: a new event, a new bulletin.
        XCTAssertEqual(try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(20)).updated, [])
        try t.importRows([R.row("C3", "powder", soldAs: "heroin", date: "2026-12-20", substance: "carfentanil")], name: "c3")
        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(30))
        XCTAssertEqual(try store.bulletins().filter { $0.subject == "high_potency:carfentanil" }.count, 2)
    }

    func testCancelAndErrorReferenceEarlierMessages() throws {
        let t = try TestDatabase()
        let workflow = BulletinWorkflow(database: t.database)
        let store = BulletinStore(database: t.database)
        let b = try carfentanilBulletin(t)
        try workflow.approve(b.id, by: "an", at: Instant.at(1))
        try workflow.publish(b.id, by: "an", at: Instant.at(2))
        try workflow.cancel(b.id, by: "an", note: "Laboratory retracted the result.", at: Instant.at(3))
        let cancelled = try XCTUnwrap(store.bulletin(id: b.id))
        XCTAssertEqual(cancelled.state, .cancelled)
        XCTAssertEqual(cancelled.messageType, .cancel)
        let messages = try store.messages(bulletinID: b.id)
        XCTAssertEqual(messages.map(\.messageType), [.alert, .cancel])
        let cap = CAPWriter.xml(try BulletinDocument.current(cancelled, messages: messages))
        XCTAssertTrue(cap.contains("<note>Laboratory retracted the result.</note>"))
        XCTAssertTrue(cap.contains("<references>drugcheck@example.org,drugcheck-bulletin-\(b.id)-v1,"))
        XCTAssertThrowsError(try workflow.cancel(b.id, by: "an", note: "again"))
        // A cancelled event stays cancelled when scanned again.
        XCTAssertTrue(try BulletinScanner(database: t.database).scan(at: Instant.at(4)).unchanged.contains(b.id))

        let other = try TestDatabase()
        let draft = try carfentanilBulletin(other)
        try BulletinWorkflow(database: other.database).cancel(draft.id, by: "an", note: "duplicate", at: Instant.at(1))
        XCTAssertEqual(try BulletinStore(database: other.database).messages(bulletinID: draft.id), [], "an unpublished draft sends nothing")

        let third = try TestDatabase()
        let wrong = try carfentanilBulletin(third)
        let w3 = BulletinWorkflow(database: third.database)
        try w3.approve(wrong.id, by: "an", at: Instant.at(1))
        try w3.publish(wrong.id, by: "an", at: Instant.at(2))
        try w3.cancel(wrong.id, by: "an", note: "Issued for the wrong region.", error: true, at: Instant.at(3))
        XCTAssertEqual(try BulletinStore(database: third.database).messages(bulletinID: wrong.id).map(\.messageType), [.alert, .error])
        XCTAssertEqual(try BulletinStore(database: third.database).audit(bulletinID: wrong.id).last?.action, "declared_error")
    }

    func testImmediatePublicationForConfiguredTriggersOnly() throws {
        var config = BulletinConfiguration()
        config.highPotency.publishImmediately = true
        let t = try TestDatabase()
        try t.importRows([R.row("C1", "vape_refill", date: "2026-09-01", substance: "carfentanil")])
        let result = try BulletinScanner(database: t.database, configuration: config).scan(actor: "scanner", at: Instant.at(0))
        let store = BulletinStore(database: t.database)
        let all = try store.bulletins()
        let high = try XCTUnwrap(all.first { $0.trigger == .highPotency })
        XCTAssertEqual(high.state, .published)
        XCTAssertEqual(result.published, [high.id])
        XCTAssertEqual(try store.audit(bulletinID: high.id).map(\.action), ["created", "published"])
        XCTAssertTrue(try store.audit(bulletinID: high.id).last?.detail?.contains("immediate") ?? false)
        XCTAssertTrue(all.filter { $0.trigger == .unexpectedAdulteration }.allSatisfy { $0.state == .draft },
                      "trigger 3 is always reviewed")
        XCTAssertEqual(try BulletinConfiguration(contentsOf: try writeJSON(#"{"status": "Exercise"}"#)).status, .exercise)
    }

    private func writeJSON(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
