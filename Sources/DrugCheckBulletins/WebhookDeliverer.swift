import AsyncHTTPClient
import DrugCheckStore
import Foundation
import Logging

/// When to retry a failed delivery: exponential backoff `base × 2^(attempt−1)`, capped at
/// `maxDelay`, with "equal jitter" (a random half of the delay is dropped) so that many
/// receivers coming back at once are not hit together; after `maxAttempts` it gives up.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts = 8
    public var baseDelay: TimeInterval = 30
    public var maxDelay: TimeInterval = 3600
    /// Per request.
    public var timeoutSeconds: Int64 = 15

    public init(maxAttempts: Int = 8, baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 3600, timeoutSeconds: Int64 = 15) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeoutSeconds = timeoutSeconds
    }

    /// The wait after failed attempt number `attempt` (1-based); `random` is in 0…1.
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let full = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return full / 2 + full / 2 * random
    }
}

/// Sends due outbox rows with AsyncHTTPClient: POST of the CAP or JSON payload, signed (see
/// ``WebhookSignature``), with the idempotency key. A 2xx answer marks the row delivered; any
/// other answer or a network error schedules a retry, until the policy gives up and the row is
/// marked failed. All state is in the database, so a restarted process continues where the
/// previous one stopped; a receiver that saw a request whose answer was lost gets the same
/// idempotency key again and can ignore it. Each row is taken from a ``DeliveryQueue`` before it
/// is sent; on PostgreSQL that is a claim, so several deliverers (processes, server hosts) on one
/// database never send the same row twice.
///
/// ```swift
/// let report = try await WebhookDeliverer(database: db).deliverDue()
/// print(report.delivered, report.gaveUp)
/// ```
public struct WebhookDeliverer: Sendable {
    public let queue: any DeliveryQueue
    public let client: HTTPClient
    public let policy: RetryPolicy
    /// Checked before each request, after resolving the receiver's name.
    public let addresses: WebhookAddressPolicy
    private let logger: Logger

    public init(queue: any DeliveryQueue, client: HTTPClient = .shared, policy: RetryPolicy = .init(),
                addresses: WebhookAddressPolicy = .fromEnvironment, logger: Logger = Logger(label: "drugcheck.bulletins.delivery")) {
        self.queue = queue
        self.client = client
        self.policy = policy
        self.addresses = addresses
        self.logger = logger
    }

    /// The deliverer of the embedded database's outbox.
    public init(database: DrugCheckDatabase, client: HTTPClient = .shared, policy: RetryPolicy = .init(),
                addresses: WebhookAddressPolicy = .fromEnvironment, logger: Logger = Logger(label: "drugcheck.bulletins.delivery")) {
        self.init(queue: SQLiteDeliveryQueue(database: database), client: client, policy: policy, addresses: addresses, logger: logger)
    }

    /// What one pass did.
    public struct Report: Sendable, Equatable {
        public var delivered = 0
        public var retried = 0
        /// Deliveries given up in this pass: `subscriber: message (last error)`.
        public var gaveUp: [String] = []
        /// Rows still pending after the pass, and when the next one is due.
        public var pending = 0
        public var nextDue: Date?
    }

    /// Sends every pending row due at `now` that no other deliverer holds, in id order.
    public func deliverDue(now: Date = Date(), random: @Sendable () -> Double = { Double.random(in: 0...1) }) async throws -> Report {
        var report = Report()
        while let row = try await queue.claimNext(dueAt: now) {
            let error = await send(row, now: now)
            let attempts = row.attempts + 1
            let outcome: DeliveryOutcome
            if let error {
                if attempts >= policy.maxAttempts {
                    outcome = .failed(attempts: attempts, error: error)
                    report.gaveUp.append("\(row.subscriber): \(row.messageIdentifier) (\(error))")
                    logger.error("delivery given up", metadata: ["subscriber": "\(row.subscriber)", "message": "\(row.messageIdentifier)",
                                                                 "error": "\(error)"])
                } else {
                    outcome = .retry(attempts: attempts, error: error,
                                     next: now.addingTimeInterval(policy.delay(afterAttempt: attempts, random: random())))
                    report.retried += 1
                }
            } else {
                outcome = .delivered(attempts: attempts, at: now)
                report.delivered += 1
            }
            try await queue.finish(row, outcome)
        }
        (report.pending, report.nextDue) = try await queue.pending()
        return report
    }

    /// Delivers until nothing is pending, sleeping until the next retry is due (at most
    /// `maxWait` seconds in total). Returns the passes' combined report.
    public func deliverAll(maxWait: TimeInterval = 600) async throws -> Report {
        let deadline = Date().addingTimeInterval(maxWait)
        var total = Report()
        while true {
            let pass = try await deliverDue()
            total.delivered += pass.delivered
            total.retried += pass.retried
            total.gaveUp += pass.gaveUp
            total.pending = pass.pending
            total.nextDue = pass.nextDue
            guard pass.pending > 0, let next = pass.nextDue, next <= deadline else { return total }
            let wait = max(0, next.timeIntervalSinceNow)
            try await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
    }

    /// `nil` on a 2xx answer, else what went wrong.
    private func send(_ row: OutboxDelivery, now: Date) async -> String? {
        do {
            // Again at delivery: the name may resolve elsewhere now (DNS rebinding).
            try addresses.checkResolved(try addresses.checkURL(row.url))
        } catch {
            return "\(error)"
        }
        let timestamp = String(Int64(now.timeIntervalSince1970))
        var request = HTTPClientRequest(url: row.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: row.contentType)
        request.headers.add(name: WebhookSignature.timestampHeader, value: timestamp)
        request.headers.add(name: WebhookSignature.signatureHeader,
                            value: WebhookSignature.sign(timestamp: timestamp, body: row.payload, secret: row.secret))
        request.headers.add(name: WebhookSignature.idempotencyHeader, value: row.idempotencyKey)
        request.headers.add(name: "User-Agent", value: "DrugCheck-bulletins/1")
        request.body = .bytes(Array(row.payload))
        do {
            let response = try await client.execute(request, timeout: .seconds(policy.timeoutSeconds))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return "\(error)"
        }
    }
}
