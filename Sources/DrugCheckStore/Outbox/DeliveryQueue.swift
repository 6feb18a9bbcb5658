import Foundation

/// One due webhook delivery, claimed by one deliverer until it reports the outcome: the outbox
/// row with its subscriber's address and secret.
public struct OutboxDelivery: Sendable, Equatable {
    public var id: Int64
    public var url: String
    public var secret: String
    public var subscriber: String
    public var idempotencyKey: String
    public var contentType: String
    public var payload: Data
    /// Attempts made before this one.
    public var attempts: Int
    public var messageIdentifier: String

    public init(id: Int64, url: String, secret: String, subscriber: String, idempotencyKey: String, contentType: String,
                payload: Data, attempts: Int, messageIdentifier: String) {
        (self.id, self.url, self.secret, self.subscriber) = (id, url, secret, subscriber)
        (self.idempotencyKey, self.contentType, self.payload) = (idempotencyKey, contentType, payload)
        (self.attempts, self.messageIdentifier) = (attempts, messageIdentifier)
    }
}

/// What became of one attempt.
public enum DeliveryOutcome: Sendable, Equatable {
    case delivered(attempts: Int, at: Date)
    case retry(attempts: Int, error: String, next: Date)
    case failed(attempts: Int, error: String)
}

/// The outbox as deliverers see it, whatever the backend: the next due row, held until its
/// outcome is recorded, and still queued if its deliverer dies before reporting. On PostgreSQL
/// a row is claimed by exactly one deliverer however many run at once; on SQLite one deliverer
/// runs at a time (``SQLiteDeliveryQueue``).
///
/// ```swift
/// let queue: any DeliveryQueue = SQLiteDeliveryQueue(database: db)
/// while let delivery = try await queue.claimNext(dueAt: Date()) {
///     try await queue.finish(delivery, .delivered(attempts: delivery.attempts + 1, at: Date()))
/// }
/// ```
public protocol DeliveryQueue: Sendable {
    /// The lowest-id pending row due at `now` that no other deliverer holds, now held by this
    /// one; nil when none is.
    func claimNext(dueAt now: Date) async throws -> OutboxDelivery?
    /// Records the outcome of the claimed `delivery` and lets go of it.
    func finish(_ delivery: OutboxDelivery, _ outcome: DeliveryOutcome) async throws
    /// Rows still pending, and when the earliest is due.
    func pending() async throws -> (count: Int, nextDue: Date?)
}

/// Outbox times as stored on both backends: GRDB's text for a `Date` (`yyyy-MM-dd HH:mm:ss.SSS`,
/// UTC), which sorts as the times do, so "due" is a text comparison on either backend.
public enum OutboxTime {
    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSS"
        return formatter
    }()

    public static func text(_ date: Date) -> String { formatter.string(from: date) }
    public static func date(_ text: String) -> Date? { formatter.date(from: text) }
}
