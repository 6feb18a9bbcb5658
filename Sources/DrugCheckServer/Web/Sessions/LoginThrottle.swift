import Foundation
import Synchronization

/// Slows password guessing: at most 5 failed logins per user name and 20 per address in 15
/// minutes; past that, logins from there are refused (429) until the window has moved on.
///
/// ```swift
/// guard !throttle.isBlocked(user: name, address: ip) else { throw WebPageError.tooManyLogins }
/// if !ok { throttle.recordFailure(user: name, address: ip) }
/// ```
final class LoginThrottle: Sendable {
    let window: TimeInterval = 15 * 60
    let perUser = 5
    let perAddress = 20
    private let failures = Mutex([String: [Date]]())

    func isBlocked(user: String, address: String, now: Date = Date()) -> Bool {
        failures.withLock { failures in
            recent(failures["user:\(user.lowercased())"], now).count >= perUser
                || recent(failures["addr:\(address)"], now).count >= perAddress
        }
    }

    func recordFailure(user: String, address: String, now: Date = Date()) {
        failures.withLock { failures in
            for key in ["user:\(user.lowercased())", "addr:\(address)"] {
                failures[key] = recent(failures[key], now) + [now]
            }
            if failures.count > 100_000 { failures = failures.filter { !recent($0.value, now).isEmpty } }
        }
    }

    private func recent(_ dates: [Date]?, _ now: Date) -> [Date] {
        (dates ?? []).filter { now.timeIntervalSince($0) < window }
    }
}
