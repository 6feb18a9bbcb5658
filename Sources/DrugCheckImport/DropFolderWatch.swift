import DrugCheckModel
import Foundation

extension DropFolder {
    /// How a watch ends.
    public enum Mode: Sendable {
        /// Process what is in the folder now (waiting for files still being written, up to
        /// ``DropFolder/onceWaitLimit``) and return: for cron and tests.
        case once
        /// Scan every `interval` seconds until the process ends.
        case forever(interval: TimeInterval)
    }

    /// How long `--once` waits for files still being written before leaving them for the next run.
    public static let onceWaitLimit: TimeInterval = 60

    /// Scans and imports as `mode` says. After each pass that handled files, the pipeline's
    /// observers (the bulletin trigger scan) run once and their reports go to `observed`.
    /// Returns the files handled (all of them for `.once`); files left because they were still
    /// being written are in `waiting`.
    @discardableResult
    public func watch(_ mode: Mode, progress: ImportProgress? = nil, handled: (Handled) -> Void = { _ in },
                      observed: ([ObserverReport]) -> Void = { _ in }) throws -> (handled: [Handled], waiting: [Arrival]) {
        var all: [Handled] = []
        let started = Date()
        while true {
            let pass = try processReady(progress: progress, each: handled)
            if !pass.isEmpty { observed(pipeline.notify(pass.map(\.result))) }
            switch mode {
            case .forever(let interval):
                Thread.sleep(forTimeInterval: interval)
            case .once:
                all += pass
                let waiting = try arrivals()
                if waiting.isEmpty || Date().timeIntervalSince(started) > settle + Self.onceWaitLimit {
                    return (all, waiting)
                }
                Thread.sleep(forTimeInterval: min(1, settle / 2))
            }
        }
    }

    /// The log line for one handled file.
    public static func summary(_ h: Handled, root: URL) -> String {
        let r = h.result
        let moved = String(h.movedTo.path.dropFirst(root.path.count + 1))
        switch r.outcome {
        case .imported, .alreadyImported:
            return "\(h.arrival.relativePath): \(r.outcome.rawValue.replacingOccurrences(of: "_", with: " ")) (\(r.format.rawValue)): "
                + "\(r.samples) samples, \(r.findings) findings → \(moved)"
        case .rejected:
            return "\(h.arrival.relativePath): rejected, \(r.errors.count) problem\(r.errors.count == 1 ? "" : "s") → \(moved) (see \(moved).errors.txt)"
        }
    }
}
