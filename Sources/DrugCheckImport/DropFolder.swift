import DrugCheckIngest
import DrugCheckModel
import Foundation

/// The folder instruments and LIMS write their exports into (`drugcheck watch DIR`,
/// `drugcheck serve --watch DIR`). Each new file is imported through the one pipeline once it is
/// complete — a `NAME.done` marker beside it, or its size seen unchanged for ``settle`` seconds
/// (copies that keep the source's modification time are not mistaken for finished) — then moved to `processed/`, or to `rejected/` with `NAME.errors.txt`
/// (every problem as `file:line:column: message`) beside it.
///
/// A file in a subfolder (`DIR/BE-NICC/run-47.csv`) belongs to the lab the subfolder names;
/// a file at the top belongs to the lab given (`--lab`), or must name its lab itself. Moved files
/// keep that subfolder (`processed/BE-NICC/run-47.csv`).
///
/// Restart-safe: the import of a file commits whole or not at all, and a file imported but not yet
/// moved (a crash, `kill -9`) is recognised by its hash on the next scan and moved, never imported
/// twice; nothing is deleted, so no file is lost.
///
/// ```swift
/// let folder = DropFolder(root: URL(fileURLWithPath: "Imports/inbox"), pipeline: pipeline, labCode: nil)
/// let handled = try folder.processReady()          // one pass (cron, `--once`)
/// ```
public struct DropFolder: Sendable {
    public let root: URL
    public let pipeline: ImportPipeline
    /// The lab of files at the top of the folder.
    public let labCode: String?
    public var options = ImportOptions()
    /// Seconds a file must stay unchanged before it counts as complete (without a `.done` marker).
    public var settle: TimeInterval = 3
    private let sizes = SizeObservations()

    public static let processedFolder = "processed"
    public static let rejectedFolder = "rejected"
    static let marker = "done"

    public init(root: URL, pipeline: ImportPipeline, labCode: String?) {
        self.root = root.standardizedFileURL
        self.pipeline = pipeline
        self.labCode = labCode
    }

    /// A file waiting in the folder: where it is, the name shown in logs, and its lab.
    public struct Arrival: Sendable, Equatable {
        public var url: URL
        /// The path below the folder, e.g. `BE-NICC/run-47.csv`.
        public var relativePath: String
        public var labCode: String?
        /// Complete by its marker or by having settled.
        public var isComplete: Bool
    }

    /// What happened to one file, for the log line and the caller.
    public struct Handled: Sendable {
        public var arrival: Arrival
        public var result: ImportResult
        /// Where the file is now.
        public var movedTo: URL
    }

    /// The files waiting now, top level and one level of lab subfolders, oldest path first.
    /// Hidden files, markers, error reports and the `processed`/`rejected` folders are not files to import.
    public func arrivals(now: Date = Date()) throws -> [Arrival] {
        var found: [Arrival] = []
        for entry in try contents(of: root) {
            if isDirectory(entry) {
                let name = entry.lastPathComponent
                guard name != Self.processedFolder, name != Self.rejectedFolder else { continue }
                for file in try contents(of: entry) where !isDirectory(file) && Self.isImportable(file) {
                    found.append(arrival(file, relative: "\(name)/\(file.lastPathComponent)", lab: name, now: now))
                }
            } else if Self.isImportable(entry) {
                found.append(arrival(entry, relative: entry.lastPathComponent, lab: labCode, now: now))
            }
        }
        return found.sorted { $0.relativePath < $1.relativePath }
    }

    /// Imports every complete file and moves it; returns what happened to each. Files still being
    /// written are left for a later pass.
    /// `each` hears of every file as soon as it is handled.
    public func processReady(now: Date = Date(), progress: ImportProgress? = nil, each: (Handled) -> Void = { _ in }) throws -> [Handled] {
        removeStrayMarkers(now: now)
        var handled: [Handled] = []
        for arrival in try arrivals(now: now) where arrival.isComplete {
            let done = try process(arrival, progress: progress)
            each(done)
            handled.append(done)
        }
        return handled
    }

    /// Imports one file and moves it where it belongs.
    public func process(_ arrival: Arrival, progress: ImportProgress? = nil) throws -> Handled {
        var options = options
        options.labCode = arrival.labCode
        let result = try pipeline.importFile(at: arrival.url, displayName: arrival.relativePath, options: options, progress: progress)
        let folder = result.outcome == .rejected ? Self.rejectedFolder : Self.processedFolder
        let destination = try move(arrival, to: folder, errors: result.outcome == .rejected ? result.errors : nil)
        try? FileManager.default.removeItem(at: Self.markerURL(for: arrival.url))
        sizes.forget(arrival.url.path)
        return Handled(arrival: arrival, result: result, movedTo: destination)
    }

    /// The error report written beside a rejected file: every problem as `file:line:column: message`.
    public static func errorReport(_ problems: [ImportProblem], file: String) -> String {
        problems.map { "\(file):\($0.line):\($0.column): \($0.message)\n" }.joined()
    }

    // MARK: - Files

    static func isImportable(_ url: URL) -> Bool {
        let name = url.lastPathComponent
        return !name.hasPrefix(".") && url.pathExtension != marker && !name.hasSuffix(".errors.txt")
            && !name.hasSuffix("~") && url.pathExtension != "part" && url.pathExtension != "tmp"
    }

    static func markerURL(for file: URL) -> URL { file.appendingPathExtension(marker) }

    private func arrival(_ url: URL, relative: String, lab: String?, now: Date) -> Arrival {
        let complete = FileManager.default.fileExists(atPath: Self.markerURL(for: url).path) || settled(url, now: now)
        return Arrival(url: url, relativePath: relative, labCode: lab, isComplete: complete)
    }

    /// Seen at the same size for `settle` seconds: the writer has most likely finished.
    private func settled(_ url: URL, now: Date) -> Bool {
        guard let size = (try? url.resourceValues(forKeys: [.fileSizeKey]))?.fileSize else { return false }
        return now.timeIntervalSince(sizes.unchangedSince(url.path, size: size, now: now)) >= settle
    }

    /// Moves the file below `folder`, keeping its lab subfolder and never overwriting an earlier
    /// file of the same name; writes the error report first, so a crash between the two leaves
    /// the file to be handled again.
    private func move(_ arrival: Arrival, to folder: String, errors: [ImportProblem]?) throws -> URL {
        let subfolder = (arrival.relativePath as NSString).deletingLastPathComponent
        var directory = root.appendingPathComponent(folder)
        if !subfolder.isEmpty { directory = directory.appendingPathComponent(subfolder) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let destination = Self.freeName(arrival.url.lastPathComponent, in: directory)
        if let errors {
            try Data(Self.errorReport(errors, file: arrival.relativePath).utf8).write(to: directory.appendingPathComponent(destination.lastPathComponent + ".errors.txt"), options: .atomic)
        }
        try FileManager.default.moveItem(at: arrival.url, to: destination)
        return destination
    }

    /// `name`, or `name (2)`, `name (3)`… before the extension when taken.
    static func freeName(_ name: String, in directory: URL) -> URL {
        var candidate = directory.appendingPathComponent(name)
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        var n = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = directory.appendingPathComponent(ext.isEmpty ? "\(base) (\(n))" : "\(base) (\(n)).\(ext)")
            n += 1
        }
        return candidate
    }

    /// A marker whose file is gone (moved before a crash removed the marker) would mark the next
    /// file of that name complete too early.
    private func removeStrayMarkers(now: Date) {
        let folders = [root] + ((try? contents(of: root)) ?? []).filter(isDirectory)
        for folder in folders {
            for marker in (try? contents(of: folder)) ?? [] where marker.pathExtension == Self.marker {
                let file = marker.deletingPathExtension()
                if !FileManager.default.fileExists(atPath: file.path), settled(marker, now: now) {
                    try? FileManager.default.removeItem(at: marker)
                    sizes.forget(marker.path)
                }
            }
        }
    }

    private func contents(of folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isDirectoryKey, .contentModificationDateKey])
    }

    private func isDirectory(_ url: URL) -> Bool {
        (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true
    }
}

/// When each waiting file was first seen at its current size.
final class SizeObservations: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: (size: Int, since: Date)] = [:]

    func unchangedSince(_ path: String, size: Int, now: Date) -> Date {
        lock.withLock {
            if let last = seen[path], last.size == size { return last.since }
            seen[path] = (size, now)
            return now
        }
    }

    func forget(_ path: String) { _ = lock.withLock { seen.removeValue(forKey: path) } }
}
