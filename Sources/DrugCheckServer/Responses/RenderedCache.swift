import DrugCheckStore
import Foundation
import Synchronization

/// Representations derived from the whole database (the weekly report, the Atom feed), kept
/// until the next commit. They are read far more often than data arrive and cost milliseconds
/// to rebuild; one `PRAGMA data_version` per request tells when they went stale.
///
/// ```swift
/// let (body, modified) = try cache.value(for: "report/2026-W47.json") { (try render(), nil) }
/// ```
final class RenderedCache: Sendable {
    struct Entry: Sendable {
        var version: Int64
        var body: Data
        var lastModified: Date?
    }

    private let probe: DatabaseChangeProbe
    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(database: DrugCheckDatabase, capacity: Int = 256) throws {
        probe = try DatabaseChangeProbe(database: database)
        self.capacity = capacity
    }

    /// The cached body for `key` if nothing was committed since it was rendered; else `render()`'s.
    func value(for key: String, render: () throws -> (Data, Date?)) throws -> (body: Data, lastModified: Date?) {
        // Read the version first: a commit while rendering makes the next request render again.
        let version = try probe.version()
        if let hit = entries.withLock({ $0[key] }), hit.version == version { return (hit.body, hit.lastModified) }
        let (body, lastModified) = try render()
        entries.withLock { entries in
            entries = entries.filter { $0.value.version == version }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = Entry(version: version, body: body, lastModified: lastModified)
        }
        return (body, lastModified)
    }
}
