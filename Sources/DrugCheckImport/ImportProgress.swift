import Foundation

/// Where an import stands, for a progress bar or log lines.
public struct ImportProgressSnapshot: Sendable {
    public var file: String
    public var bytesRead: Int64
    public var totalBytes: Int64
    public var rows: Int
    public var elapsed: TimeInterval
    public var finished: Bool

    public var fraction: Double { totalBytes > 0 ? min(1, Double(bytesRead) / Double(totalBytes)) : 1 }
    public var megabytesPerSecond: Double { elapsed > 0 ? Double(bytesRead) / 1e6 / elapsed : 0 }
    /// Estimated seconds left at the speed so far.
    public var secondsLeft: Double? {
        guard bytesRead > 0, elapsed > 0 else { return nil }
        return Double(totalBytes - bytesRead) / (Double(bytesRead) / elapsed)
    }
}

/// Receives snapshots of a running import, at most every `interval` seconds (and once when a
/// file is finished), from the importing thread.
///
/// ```swift
/// let progress = ImportProgress(interval: 0.2) { snapshot in bar.draw(snapshot) }
/// ```
public struct ImportProgress: Sendable {
    public var interval: TimeInterval
    public var report: @Sendable (ImportProgressSnapshot) -> Void

    public init(interval: TimeInterval = 0.2, report: @escaping @Sendable (ImportProgressSnapshot) -> Void) {
        self.interval = interval
        self.report = report
    }

    /// One file's progress, throttled.
    final class Tracker {
        private let progress: ImportProgress
        private let start = Date()
        private var last = Date.distantPast
        private var snapshot: ImportProgressSnapshot

        init(_ progress: ImportProgress, file: String, total: Int64) {
            self.progress = progress
            snapshot = ImportProgressSnapshot(file: file, bytesRead: 0, totalBytes: total, rows: 0, elapsed: 0, finished: false)
        }

        func advance(to bytes: Int64, rows: Int) {
            let now = Date()
            guard now.timeIntervalSince(last) >= progress.interval else { return }
            last = now
            snapshot.bytesRead = bytes
            snapshot.rows = rows
            snapshot.elapsed = now.timeIntervalSince(start)
            progress.report(snapshot)
        }

        func finish(rows: Int) {
            snapshot.bytesRead = snapshot.totalBytes
            snapshot.rows = rows
            snapshot.elapsed = Date().timeIntervalSince(start)
            snapshot.finished = true
            progress.report(snapshot)
        }
    }
}
