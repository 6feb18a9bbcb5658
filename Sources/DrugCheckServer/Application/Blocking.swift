import Dispatch
import Synchronization

/// Runs synchronous work (SQLite reads and writes, file parsing) off Swift's cooperative
/// threads, so a long import does not stall other requests.
///
/// ```swift
/// let report = try await Blocking.run { try builder.report(for: week) }
/// ```
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Runs two independent pieces of blocking work at once (two database reads on the pool's
    /// readers) and returns both results, or the first error.
    static func both<A: Sendable, B: Sendable>(_ first: @Sendable () throws -> A, _ second: @Sendable () throws -> B) throws -> (A, B) {
        let results = Mutex<(Result<A, any Error>?, Result<B, any Error>?)>((nil, nil))
        DispatchQueue.concurrentPerform(iterations: 2) { i in
            if i == 0 {
                let a = Result { try first() }
                results.withLock { $0.0 = a }
            } else {
                let b = Result { try second() }
                results.withLock { $0.1 = b }
            }
        }
        let (a, b) = results.withLock { $0 }
        return (try a!.get(), try b!.get())
    }
}
