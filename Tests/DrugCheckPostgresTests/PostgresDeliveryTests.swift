import DrugCheckBulletins
import DrugCheckPostgres
import DrugCheckStore
import Foundation
import Testing
import WebhookTestReceiver

/// Bulletins on PostgreSQL (issue #18): listed, shown and fed as on SQLite, with their
/// subscribers; webhook deliveries with several deliverers at once, rows claimed with
/// `FOR UPDATE SKIP LOCKED`, none sent twice, none lost when a deliverer dies mid-send. The bulletins and the outbox are made on SQLite the
/// way a deployment makes them, then copied with `db copy`.
@Suite("PostgreSQL: bulletins read as on SQLite, deliveries claimed with SKIP LOCKED")
struct PostgresDeliveryTests {
    static let secrets = ["poison-centre": "pc-secret", "harm-reduction": "hr-secret", "focal-point": "fp-secret"]

    /// The deliveries' states and attempts on PostgreSQL, by id.
    static func states(_ session: PostgresSession) throws -> [(state: String, attempts: Int64)] {
        try session.query("SELECT state, attempts FROM outbox ORDER BY id").map { try $0.decode((String, Int64).self) }
    }

    @Test func theBulletinsReadTheSameOnBothBackends() throws {
        let (database, directory) = try PostgresBackendTests.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try QueuedOutbox.fill(database, subscribers: Self.secrets, port: 9, addresses: WebhookAddressPolicy(allowList: ["127.0.0.1:9"]))
        let sqlite = BulletinStore(database: database)
        let published = try sqlite.bulletins(state: .published)
        #expect(published.count > 2)
        // A second message for one bulletin, so the feed picks each bulletin's latest.
        try BulletinWorkflow(database: database).cancel(published[1].id, by: "reviewer", note: "Result retracted",
                                                        at: QueuedOutbox.publishedAt.addingTimeInterval(60))
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try DatabaseCopy.run(from: database, to: session)
        let postgres = BulletinStore(reader: session)

        #expect(try postgres.bulletins() == sqlite.bulletins())
        #expect(try postgres.bulletins(state: .cancelled) == sqlite.bulletins(state: .cancelled))
        #expect(try postgres.bulletins(state: .cancelled).map(\.id) == [published[1].id])
        #expect(try postgres.latestMessages() == sqlite.latestMessages())
        #expect(try postgres.latestMessages().first?.messageType == .cancel)
        for bulletin in try sqlite.bulletins() {
            #expect(try postgres.bulletin(id: bulletin.id) == bulletin)
            #expect(try postgres.messages(bulletinID: bulletin.id) == sqlite.messages(bulletinID: bulletin.id))
            #expect(try postgres.audit(bulletinID: bulletin.id) == sqlite.audit(bulletinID: bulletin.id))
        }
        #expect(try postgres.bulletin(id: 999_999) == nil)
        let feed = try AtomFeedWriter().publishedFeed(store: postgres)
        #expect(feed.body == (try AtomFeedWriter().publishedFeed(store: sqlite)).body)
        #expect(String(decoding: feed.body, as: UTF8.self).contains("<entry>"))
        // The subscribers as `subscribers list` reads them, with their filters and secrets.
        let subscribers = try Subscribers(database: database).list()
        #expect(subscribers.count == Self.secrets.count && Set(subscribers.map(\.secret)) == Set(Self.secrets.values))
        #expect(try Subscribers.list(from: session) == subscribers)
        #expect(try Subscribers.list(from: session, owner: "nobody").isEmpty)
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
            #expect(try await first.claimNext(dueAt: published.addingTimeInterval(-1)) == nil, "nothing due before publication")
            let held = try #require(try await PostgresDeliveryQueue(session: dying).claimNext(dueAt: published))
            let other = try #require(try await first.claimNext(dueAt: published))
            let third = try #require(try await second.claimNext(dueAt: published))
            #expect(Set([held.id, other.id, third.id]).count == 3, "each claim gets a row no other holds")
            try await first.finish(other, .delivered(attempts: 1, at: published))
            try await second.finish(third, .retry(attempts: 1, error: "HTTP 503", next: published.addingTimeInterval(30)))

            // The holder's connection goes: the server rolls back its claim and the row is due again.
            dying.close()
            var again: OutboxDelivery?
            for _ in 0..<50 where again?.id != held.id {
                if let claimed = again { try await first.finish(claimed, .retry(attempts: 0, error: "", next: published)) }
                again = try await first.claimNext(dueAt: published)
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
