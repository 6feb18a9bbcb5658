import Dispatch

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
}
