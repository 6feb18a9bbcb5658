import Dispatch
import Synchronization

/// Runs two independent pieces of blocking work at once, one on the calling thread and one on
/// another core (two database reads on a pool's readers, each folded as it arrives).
///
/// ```swift
/// let (report, soldAs) = try Concurrently.both({ try builder.report(for: week) }, { try database.soldAsFound(week: week) })
/// ```
public enum Concurrently {
    /// Both results, or the first error.
    public static func both<A: Sendable, B: Sendable>(_ first: @Sendable () throws -> A, _ second: @Sendable () throws -> B) throws -> (A, B) {
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
