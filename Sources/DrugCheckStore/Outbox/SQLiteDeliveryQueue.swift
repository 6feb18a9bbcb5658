import Foundation
import GRDB

/// The outbox's ``DeliveryQueue`` on the embedded database, for one deliverer at a time: the
/// next due row is read, not claimed, so a deliverer killed mid-send leaves it due at once for
/// the next run (sent again with the same idempotency key). Two deliverers on one file at once
/// may both send a row; several deliverers need the PostgreSQL backend. (A lease claim was
/// tried: it kept a killed deliverer's row from the next run for the whole lease, which the
/// crash harness, `.ci/crash-harness.py`, rightly refused.)
///
/// ```swift
/// let report = try await WebhookDeliverer(queue: SQLiteDeliveryQueue(database: db)).deliverDue()
/// ```
public struct SQLiteDeliveryQueue: DeliveryQueue {
    let database: DrugCheckDatabase

    public init(database: DrugCheckDatabase) {
        self.database = database
    }

    /// The next due row with its subscriber (`?`: the time now as ``OutboxTime`` text).
    public static let dueSQL = """
        SELECT o.id, s.url, s.secret, s.name, o.idempotency_key, o.content_type, o.payload, o.attempts, o.message_identifier
        FROM outbox o JOIN subscriber s ON s.id = o.subscriber_id
        WHERE o.state = 'pending' AND o.next_attempt_at <= ? ORDER BY o.id LIMIT 1
        """

    public func claimNext(dueAt now: Date) async throws -> OutboxDelivery? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: Self.dueSQL, arguments: [OutboxTime.text(now)]).map { row in
                OutboxDelivery(id: row[0], url: row[1], secret: row[2], subscriber: row[3], idempotencyKey: row[4],
                               contentType: row[5], payload: row[6], attempts: row[7], messageIdentifier: row[8])
            }
        }
    }

    public func finish(_ delivery: OutboxDelivery, _ outcome: DeliveryOutcome) async throws {
        try await database.pool.write { db in
            let (sql, arguments) = Self.update(delivery.id, outcome)
            try db.execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
        }
    }

    public func pending() async throws -> (count: Int, nextDue: Date?) {
        try await database.pool.read { db in
            let row = try Row.fetchOne(db, sql: Self.pendingSQL)
            return (row?[0] ?? 0, (row?[1] as String?).flatMap(OutboxTime.date))
        }
    }

    /// Rows still pending and the earliest next attempt: the same query on both backends.
    public static let pendingSQL = "SELECT COUNT(*), MIN(next_attempt_at) FROM outbox WHERE state = 'pending'"

    /// The outcome's `UPDATE` (`?` placeholders) and its arguments, times as ``OutboxTime`` text:
    /// the same statement on both backends.
    public static func update(_ id: Int64, _ outcome: DeliveryOutcome) -> (sql: String, arguments: [StoredValue]) {
        switch outcome {
        case let .delivered(attempts, at):
            ("UPDATE outbox SET state = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE id = ?",
             [.integer(Int64(attempts)), .text(OutboxTime.text(at)), .integer(id)])
        case let .retry(attempts, error, next):
            ("UPDATE outbox SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
             [.integer(Int64(attempts)), .text(error), .text(OutboxTime.text(next)), .integer(id)])
        case let .failed(attempts, error):
            ("UPDATE outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = ?",
             [.integer(Int64(attempts)), .text(error), .integer(id)])
        }
    }
}
