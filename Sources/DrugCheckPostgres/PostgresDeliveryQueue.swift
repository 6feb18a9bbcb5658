import DrugCheckStore
import Foundation
import PostgresNIO

/// The outbox's ``DeliveryQueue`` on PostgreSQL, for several deliverers (processes, server
/// instances) on one database: a claim opens a transaction and locks the next due row with
/// `SELECT … FOR UPDATE SKIP LOCKED`, so another deliverer passes over it without waiting; the
/// outcome is written and committed in the same transaction. A deliverer that dies mid-send
/// loses its connection, the server rolls its transaction back, and the row is due again at
/// once: the lock lasts exactly as long as its holder.
///
/// One claim at a time per queue: each deliverer has its own session.
///
/// ```swift
/// let queue = PostgresDeliveryQueue(session: try PostgresSession.connect(to: location))
/// let report = try await WebhookDeliverer(queue: queue).deliverDue()
/// ```
public final class PostgresDeliveryQueue: DeliveryQueue {
    public let session: PostgresSession

    public init(session: PostgresSession) {
        self.session = session
    }

    static let claimSQL = (SQLiteDeliveryQueue.dueSQL + " FOR UPDATE OF o SKIP LOCKED").numberedPlaceholders()

    public func claimNext(dueAt now: Date) async throws -> OutboxDelivery? {
        try session.query("BEGIN")
        do {
            var binds = PostgresBindings()
            binds.append(OutboxTime.text(now))
            guard let row = try session.query(Self.claimSQL, binds).first else {
                try session.query("COMMIT")
                return nil
            }
            let (id, url, secret, name, key, contentType, payload, attempts, message) =
                try row.decode((Int64, String, String, String, String, String, Data, Int64, String).self)
            return OutboxDelivery(id: id, url: url, secret: secret, subscriber: name, idempotencyKey: key, contentType: contentType,
                                  payload: payload, attempts: Int(attempts), messageIdentifier: message)
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    public func finish(_ delivery: OutboxDelivery, _ outcome: DeliveryOutcome) async throws {
        let (sql, arguments) = SQLiteDeliveryQueue.update(delivery.id, outcome)
        do {
            try session.query(sql.numberedPlaceholders(), PostgresBindings(stored: arguments))
            try session.query("COMMIT")
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    public func pending() async throws -> (count: Int, nextDue: Date?) {
        let row = try session.query(SQLiteDeliveryQueue.pendingSQL).first
        guard let (count, next) = try row?.decode((Int64, String?).self) else { return (0, nil) }
        return (Int(count), next.flatMap(OutboxTime.date))
    }
}
