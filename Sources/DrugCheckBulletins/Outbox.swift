import DrugCheckStore
import Foundation
import GRDB

/// The persistent outbox: one row per published message and matching subscriber, written in the
/// publishing transaction, so a delivery is never lost between publication and sending and
/// survives a restart of the process.
///
/// ```swift
/// for row in try Outbox(database: db).deliveries() { print(row.subscriber, row.state, row.attempts) }
/// ```
public struct Outbox: Sendable {
    /// The SQLite store, or a PostgreSQL session.
    public let reader: any StoredRowReader

    public init(reader: any StoredRowReader) {
        self.reader = reader
    }

    public init(database: DrugCheckDatabase) {
        self.init(reader: database)
    }

    /// One delivery as it stands.
    public struct Delivery: Sendable, Equatable {
        public enum State: String, Sendable { case pending, delivered, failed }
        public var id: Int64
        public var bulletinID: Int64
        public var messageIdentifier: String
        public var subscriber: String
        public var state: State
        public var attempts: Int
        public var nextAttemptAt: Date
        public var lastError: String?
        public var deliveredAt: Date?
    }

    /// Every delivery, by id.
    public func deliveries() throws -> [Delivery] {
        try reader.fetchRows("""
            SELECT o.id, o.bulletin_id, o.message_identifier, s.name, o.state, o.attempts, o.next_attempt_at,
                   o.last_error, o.delivered_at
            FROM outbox o JOIN subscriber s ON s.id = o.subscriber_id ORDER BY o.id
            """).map { row in
            // By name: a row read from any backend keeps its columns by name, not position.
            Delivery(id: row["id"], bulletinID: row["bulletin_id"], messageIdentifier: row["message_identifier"], subscriber: row["name"],
                     state: Delivery.State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
                     nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"], deliveredAt: row["delivered_at"])
        }
    }

    /// Queues `message` for every subscriber that wants it, rendered in the subscriber's format
    /// and languages. The idempotency key is the message identifier and the subscriber id.
    static func enqueue(_ db: any StoredStatements, message: PublishedMessage, history: [PublishedMessage],
                        configuration: BulletinConfiguration, at now: Date) throws {
        let state: BulletinState = message.messageType == .cancel || message.messageType == .error ? .cancelled : .published
        for subscriber in try SubscriberRecord.read(from: db, ("ORDER BY id", [])).map(\.model) where subscriber.wants(message.facts) {
            let document = try BulletinDocument.published(message, history: history, state: state, configuration: configuration,
                                                          languages: subscriber.effectiveLanguages)
            let format = BulletinFormat(subscriber.format)
            let (payload, contentType) = (try format.render(document), format.mediaType)
            try db.execute("""
                INSERT INTO outbox (bulletin_id, message_identifier, subscriber_id, idempotency_key, content_type, payload,
                                    state, attempts, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)
                ON CONFLICT (message_identifier, subscriber_id) DO NOTHING
                """, [.integer(message.bulletinID), .text(message.identifier), .integer(subscriber.id!),
                      .text("\(message.identifier)/subscriber-\(subscriber.id!)"), .text(contentType), .blob(Array(payload)),
                      .time(now)])
        }
    }
}
