import DrugCheckBulletins
import DrugCheckStore
import WebhookTestReceiver
import XCTest

/// The outbox against a real Hummingbird receiver on loopback: signatures, deliberate failures
/// with backoff, a restart of the delivering process, giving up, and exactly-once arrival.
final class DeliveryTests: XCTestCase {
    typealias R = TestDatabase

    func testSignatureIsRFC4231HMACSHA256() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        XCTAssertEqual(WebhookSignature.hmacHex(key: Data("Jefe".utf8), message: Data("what do ya want for nothing?".utf8)),
                       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let body = Data("<alert/>".utf8)
        let signature = WebhookSignature.sign(timestamp: "1792486800", body: body, secret: "s3cret")
        XCTAssertTrue(WebhookSignature.verify(signature: signature, timestamp: "1792486800", body: body, secret: "s3cret"))
        XCTAssertFalse(WebhookSignature.verify(signature: signature, timestamp: "1792486801", body: body, secret: "s3cret"))
        XCTAssertFalse(WebhookSignature.verify(signature: signature, timestamp: "1792486800", body: Data("<alert />".utf8), secret: "s3cret"))
    }

    func testBackoffDoublesWithJitterAndIsCapped() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 10, maxDelay: 60)
        XCTAssertEqual(policy.delay(afterAttempt: 1, random: 0), 5)
        XCTAssertEqual(policy.delay(afterAttempt: 1, random: 1), 10)
        XCTAssertEqual(policy.delay(afterAttempt: 3, random: 1), 40)
        XCTAssertEqual(policy.delay(afterAttempt: 6, random: 1), 60)
        XCTAssertEqual(policy.delay(afterAttempt: 6, random: 0), 30)
    }

    func testOutboxDeliversEachBulletinExactlyOncePerSubscriberAcrossFailuresAndARestart() async throws {
        let t = try TestDatabase()
        try t.importRows([
            R.row("N1", "vape_refill", soldAs: "THC vape", description: "Relax Max", date: "2026-09-01", region: "BE251", substance: "isotonitazene"),
            R.row("F1", "powder", soldAs: "cocaine", date: "2026-09-02", region: "BE211", substance: "fentanyl"),
        ])
        try BulletinScanner(database: t.database).scan(actor: "scanner", at: Instant.at(0))
        let secrets = ["poison-centre": "pc-secret", "harm-reduction": "hr-secret", "elsewhere": "fr-secret", "broken": "b-secret"]
        let receiver = WebhookReceiver(secrets: secrets, failFirst: ["poison-centre": 2, "harm-reduction": 1, "broken": 1000])
        let schema = try CAPValidator.schema()

        try await receiver.serve { port in
            let hook = { (name: String) in "http://127.0.0.1:\(port)/hook/\(name)" }
            // The receiver runs on loopback: allowed explicitly, as a deployment would for its own network.
            let local = WebhookAddressPolicy(allowList: ["127.0.0.1:\(port)"])
            let subscribers = Subscribers(database: t.database, addresses: local)
            try subscribers.add(Subscriber(name: "poison-centre", url: hook("poison-centre"), secret: secrets["poison-centre"]!))
            try subscribers.add(Subscriber(name: "harm-reduction", url: hook("harm-reduction"), secret: secrets["harm-reduction"]!,
                                           format: .json, classes: [.nitazene], languages: [.nl, .fr]))
            try subscribers.add(Subscriber(name: "elsewhere", url: hook("elsewhere"), secret: secrets["elsewhere"]!, regions: ["FR"]))
            try subscribers.add(Subscriber(name: "broken", url: hook("broken"), secret: secrets["broken"]!, minimumSeverity: .extreme))
            XCTAssertThrowsError(try subscribers.add(Subscriber(name: "bad", url: "ftp://x", secret: "s")))

            // Publish every bulletin: one delivery per matching subscriber each.
            let store = BulletinStore(database: t.database)
            let workflow = BulletinWorkflow(database: t.database)
            let bulletins = try store.bulletins()
            for b in bulletins {
                try workflow.approve(b.id, by: "an", at: Instant.at(1))
                try workflow.publish(b.id, by: "an", at: Instant.at(2))
            }
            let nitazeneMessages = Set(try bulletins.filter { $0.facts.classes.contains(.nitazene) }
                .flatMap { try store.messages(bulletinID: $0.id).map(\.identifier) })
            let extreme = bulletins.filter { $0.facts.severity == .extreme }.count
            let queued = try Outbox(database: t.database).deliveries()
            XCTAssertEqual(queued.filter { $0.subscriber == "poison-centre" }.count, bulletins.count)
            XCTAssertEqual(Set(queued.filter { $0.subscriber == "harm-reduction" }.map(\.messageIdentifier)), nitazeneMessages)
            XCTAssertEqual(queued.filter { $0.subscriber == "elsewhere" }.count, 0, "no bulletin concerns France")
            XCTAssertEqual(queued.filter { $0.subscriber == "broken" }.count, extreme)

            let policy = RetryPolicy(maxAttempts: 4, baseDelay: 10, maxDelay: 60, timeoutSeconds: 5)
            let first = try await WebhookDeliverer(database: t.database, policy: policy, addresses: local).deliverDue(now: Instant.at(3), random: { 1 })
            XCTAssertGreaterThan(first.retried, 0)
            XCTAssertEqual(first.nextDue, Instant.at(3).addingTimeInterval(10))

            // A new process: a new connection to the same file continues from the stored outbox.
            let reopened = try DrugCheckDatabase(path: t.database.path)
            let deliverer = WebhookDeliverer(database: reopened, policy: policy, addresses: local)
            var clock = Instant.at(3)
            var gaveUp: [String] = []
            for _ in 0..<10 {
                clock = clock.addingTimeInterval(120)
                let report = try await deliverer.deliverDue(now: clock, random: { 0.5 })
                gaveUp += report.gaveUp
                if report.pending == 0 { break }
            }
            let final = try Outbox(database: reopened).deliveries()
            XCTAssertEqual(final.filter { $0.subscriber != "broken" }.map(\.state), Array(repeating: .delivered, count: final.count - extreme))
            XCTAssertEqual(final.filter { $0.subscriber == "broken" }.map(\.state), Array(repeating: .failed, count: extreme))
            XCTAssertTrue(final.filter { $0.subscriber == "broken" }.allSatisfy { $0.attempts == 4 && $0.lastError == "HTTP 503" })
            XCTAssertEqual(gaveUp.count, extreme, "giving up is reported")
            XCTAssertEqual(final.filter { $0.subscriber == "poison-centre" }.map(\.attempts).reduce(0, +), bulletins.count + 2,
                           "two deliberate failures, each retried once")

            // A cancel goes out too, once.
            try workflow.cancel(bulletins[0].id, by: "an", note: "Retracted", at: Instant.at(400))
            _ = try await deliverer.deliverDue(now: Instant.at(400))

            let counts = await receiver.counts()
            XCTAssertTrue(counts.values.allSatisfy { $0.values.allSatisfy { $0 == 1 } }, "exactly once: \(counts)")
            XCTAssertEqual(counts["poison-centre"]?.count, bulletins.count + 1)
            XCTAssertEqual(counts["harm-reduction"]?.count, nitazeneMessages.count + (bulletins[0].facts.classes.contains(.nitazene) ? 1 : 0))
            XCTAssertNil(counts["elsewhere"])
            XCTAssertNil(counts["broken"])
            let badSignatures = await receiver.badSignatures
            let duplicates = await receiver.duplicates
            XCTAssertEqual(badSignatures, 0)
            XCTAssertEqual(duplicates, 0, "a delivered message is never sent again")

            // What arrived is valid CAP (all four languages) or JSON in the subscriber's languages.
            for arrival in await receiver.arrivals {
                if arrival.subscriber == "poison-centre" {
                    XCTAssertEqual(arrival.contentType, "application/cap+xml")
                    try CAPValidator.validate(String(decoding: arrival.body, as: UTF8.self), schema: schema, in: t.folder)
                } else {
                    XCTAssertEqual(arrival.contentType, "application/json")
                    let json = try JSONDecoder().decode(BulletinJSON.self, from: arrival.body)
                    XCTAssertEqual(json.info.map(\.language), ["nl-BE", "fr-BE"])
                }
            }
        }
    }
}
