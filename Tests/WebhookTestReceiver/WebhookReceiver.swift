import DrugCheckBulletins
import Foundation
import Hummingbird

/// A real HTTP receiver on 127.0.0.1 for delivery tests: checks each request's signature with
/// the subscriber's secret, fails on purpose a set number of times per subscriber, and counts
/// arrivals per subscriber and idempotency key. Shared by the bulletin tests and the
/// PostgreSQL backend's.
public actor WebhookReceiver {
    public struct Arrival: Sendable {
        public var subscriber: String
        public var key: String
        public var contentType: String
        public var body: Data
    }

    public let secrets: [String: String]
    private var failuresLeft: [String: Int]
    /// How long each answer takes, so that concurrent deliverers overlap.
    private let answerDelay: Duration
    public private(set) var arrivals: [Arrival] = []
    public private(set) var badSignatures = 0
    public private(set) var duplicates = 0
    public private(set) var requests = 0
    public private(set) var port: Int?

    public init(secrets: [String: String], failFirst: [String: Int] = [:], answerDelay: Duration = .zero) {
        self.secrets = secrets
        failuresLeft = failFirst
        self.answerDelay = answerDelay
    }

    func setPort(_ port: Int) { self.port = port }

    /// Arrivals per subscriber and key.
    public func counts() -> [String: [String: Int]] {
        arrivals.reduce(into: [:]) { $0[$1.subscriber, default: [:]][$1.key, default: 0] += 1 }
    }

    func receive(subscriber: String, signature: String?, timestamp: String?, key: String?, contentType: String?, body: Data) -> HTTPResponse.Status {
        requests += 1
        guard let secret = secrets[subscriber] else { return .internalServerError }
        guard let signature, let timestamp, let key,
              WebhookSignature.verify(signature: signature, timestamp: timestamp, body: body, secret: secret) else {
            badSignatures += 1
            return .unauthorized
        }
        if arrivals.contains(where: { $0.subscriber == subscriber && $0.key == key }) {
            duplicates += 1
            return .ok
        }
        if let left = failuresLeft[subscriber], left > 0 {
            failuresLeft[subscriber] = left - 1
            return .serviceUnavailable
        }
        arrivals.append(Arrival(subscriber: subscriber, key: key, contentType: contentType ?? "", body: body))
        return .ok
    }

    /// Runs a Hummingbird server on an ephemeral loopback port for the duration of `body`.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("hook/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let buffer = try await request.body.collect(upTo: 4 << 20)
            try await Task.sleep(for: self.answerDelay)
            let header = { (n: String) in request.headers.first { $0.name.canonicalName == n.lowercased() }?.value }
            let status = await self.receive(subscriber: name, signature: header(WebhookSignature.signatureHeader),
                                            timestamp: header(WebhookSignature.timestampHeader),
                                            key: header(WebhookSignature.idempotencyHeader), contentType: header("Content-Type"),
                                            body: Data(buffer.readableBytesView))
            return Response(status: status)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in await self.setPort(channel.localAddress?.port ?? 0) })
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.runService(gracefulShutdownSignals: [])
                return nil
            }
            var port = self.port
            while port == nil {
                try await Task.sleep(nanoseconds: 10_000_000)
                port = self.port
            }
            let result = try await body(port!)
            group.cancelAll()
            return result
        }
    }
}
