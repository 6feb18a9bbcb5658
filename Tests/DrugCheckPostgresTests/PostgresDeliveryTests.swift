import DrugCheckBulletins
import DrugCheckPostgres
import DrugCheckStore
import Foundation
import Testing
import WebhookTestReceiver

/// Webhook deliveries on PostgreSQL with several deliverers at once (issue #18): rows claimed
/// with `FOR UPDATE SKIP LOCKED`, none sent twice, none lost when a deliverer dies mid-send.
/// The outbox is made on SQLite the way a deployment makes it, then copied with `db copy`.
@Suite("PostgreSQL: webhook deliveries claimed with SKIP LOCKED")
struct PostgresDeliveryTests {
    static let secrets = ["poison-centre": "pc-secret", "harm-reduction": "hr-secret", "focal-point": "fp-secret"]

    /// The deliveries' states and attempts on PostgreSQL, by id.
    static func states(_ session: PostgresSession) throws -> [(state: String, attempts: Int64)] {
        try session.query("SELECT state, attempts FROM outbox ORDER BY id").map { try $0.decode((String, Int64).self) }
    }

    @Test func aClaimedRowIsSkippedByOtherDeliverersAndFreedWhenItsHolderDies() async throws {
        let receiver = WebhookReceiver(secrets: Self.secrets)
        try await receiver.serve { port in
            let (database, directory) = try PostgresBackendTests.sqlite()
            defer { try? FileManager.default.removeItem(at: directory) }
            let queued = try QueuedOutbox.fill(database, subscribers: Self.secrets, port: port,
                                               addresses: WebhookAddressPolicy(allowList: ["127.0.0.1:\(port)"]))
            let server = try TestPostgres()
            _ = try DatabaseCopy.run(from: database, to: try server.connect())
            let published = QueuedOutbox.publishedAt

            let (dying, first, second) = (try server.connect(), PostgresDeliveryQueue(session: try server.connect()),
                                          PostgresDeliveryQueue(session: try server.connect()))
            defer { first.session.close(); second.session.close() }
            #expect(try await first.claimNext(dueAt: published.addingTimeInterval(-1), holdingFor: 60) == nil, "nothing due before publication")
            let held = try #require(try await PostgresDeliveryQueue(session: dying).claimNext(dueAt: published, holdingFor: 60))
            let other = try #require(try await first.claimNext(dueAt: published, holdingFor: 60))
            let third = try #require(try await second.claimNext(dueAt: published, holdingFor: 60))
            #expect(Set([held.id, other.id, third.id]).count == 3, "each claim gets a row no other holds")
            try await first.finish(other, .delivered(attempts: 1, at: published))
            try await second.finish(third, .retry(attempts: 1, error: "HTTP 503", next: published.addingTimeInterval(30)))

            // The holder's connection goes: the server rolls back its claim and the row is due again.
            dying.close()
            var again: OutboxDelivery?
            for _ in 0..<50 where again?.id != held.id {
                if let claimed = again { try await first.finish(claimed, .retry(attempts: 0, error: "", next: published)) }
                again = try await first.claimNext(dueAt: published, holdingFor: 60)
                if again?.id != held.id { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(again == held)
            try await first.finish(again!, .retry(attempts: 0, error: "not sent", next: published))
            let states = try Self.states(first.session)
            #expect(states.count == queued)
            #expect(states.filter { $0.state == "delivered" }.count == 1)
            #expect(try await first.pending().count == queued - 1)
            #expect(try await first.pending().nextDue == published)
        }
    }

    @Test func twoDeliverersOnOneDatabaseSendEveryDeliveryExactlyOnce() async throws {
        let receiver = WebhookReceiver(secrets: Self.secrets, answerDelay: .milliseconds(5))
        try await receiver.serve { port in
            let (database, directory) = try PostgresBackendTests.sqlite()
            defer { try? FileManager.default.removeItem(at: directory) }
            let local = WebhookAddressPolicy(allowList: ["127.0.0.1:\(port)"])
            let queued = try QueuedOutbox.fill(database, subscribers: Self.secrets, port: port, addresses: local)
            #expect(queued > 2 * Self.secrets.count)
            let server = try TestPostgres()
            _ = try DatabaseCopy.run(from: database, to: try server.connect())

            let sessions = [try server.connect(), try server.connect()]
            defer { sessions.forEach { $0.close() } }
            let deliverers = sessions.map {
                WebhookDeliverer(queue: PostgresDeliveryQueue(session: $0), policy: RetryPolicy(timeoutSeconds: 5), addresses: local)
            }
            let now = QueuedOutbox.publishedAt.addingTimeInterval(60)
            async let a = deliverers[0].deliverDue(now: now)
            async let b = deliverers[1].deliverDue(now: now)
            let (one, two) = try await (a, b)
            #expect(one.delivered + two.delivered == queued)
            #expect(one.retried + two.retried == 0)
            #expect(try await PostgresDeliveryQueue(session: sessions[0]).pending().count == 0)

            let counts = await receiver.counts()
            #expect(counts.values.map(\.count).reduce(0, +) == queued)
            #expect(counts.values.allSatisfy { $0.values.allSatisfy { $0 == 1 } }, "exactly once: \(counts)")
            #expect(await receiver.requests == queued, "no row was sent by both")
            #expect(await receiver.badSignatures == 0)
            #expect(try Self.states(sessions[0]).allSatisfy { $0 == ("delivered", 1) })
            // What PostgreSQL recorded is what SQLite records: delivered at `now`, in the same text.
            let deliveredAt = try sessions[0].query("SELECT DISTINCT delivered_at FROM outbox").map { try $0.decode(String.self) }
            #expect(deliveredAt == [OutboxTime.text(now)])
        }
    }
}
