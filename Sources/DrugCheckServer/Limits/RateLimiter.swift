import Foundation

/// Token-bucket rate limiting per caller key: each key earns `perSecond` requests per second
/// up to `burst` saved ones. Buckets of idle callers are dropped so memory stays bounded.
///
/// ```swift
/// let limiter = RateLimiter(perSecond: 20, burst: 100)
/// if case .limited(let retryAfter) = limiter.take("token:42") { … }
/// ```
final class RateLimiter: @unchecked Sendable {
    enum Decision: Equatable { case allowed, limited(retryAfterSeconds: Int) }

    let perSecond: Double
    let burst: Double
    private let lock = NSLock()
    private var buckets: [String: (tokens: Double, updated: Double)] = [:]
    private var lastSweep = 0.0

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = max(1, burst)
    }

    func take(_ key: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        sweep(now: now)
        var bucket = buckets[key] ?? (burst, now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
        bucket.updated = now
        defer { buckets[key] = bucket }
        guard bucket.tokens >= 1 else {
            return .limited(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
        }
        bucket.tokens -= 1
        return .allowed
    }

    /// A bucket that has refilled completely carries no state worth keeping.
    private func sweep(now: Double) {
        guard now - lastSweep > 60 else { return }
        lastSweep = now
        let full = burst / perSecond
        buckets = buckets.filter { now - $0.value.updated < full }
    }
}
