import DrugCheckStore
import Foundation
import NIOCore
import Synchronization

/// Representations derived from the whole database (the weekly report, the Atom feed), kept
/// with their entity tag until the next commit. They are read far more often than data arrive
/// and cost milliseconds to rebuild; one `PRAGMA data_version` per request tells when they
/// went stale.
///
/// ```swift
/// let feed = try cache.value(for: "feed/en") { (try render(), newestEntryDate) }
/// return EntityTag.conditional(request, body: feed.body, tag: feed.tag, contentType: "application/atom+xml")
/// ```
final class RenderedCache: Sendable {
    struct Rendered: Sendable {
        var version: Int64
        /// Shared by every response that sends it (copy-on-write): no copy per request.
        var body: ByteBuffer
        var tag: String
        var lastModified: Date?
    }

    private let probe: DatabaseChangeProbe
    private let capacity: Int
    private let entries = Mutex<[String: Rendered]>([:])

    init(probe: DatabaseChangeProbe, capacity: Int = 256) {
        self.probe = probe
        self.capacity = capacity
    }

    /// The cached representation for `key` if nothing was committed since it was rendered; else `render()`'s.
    func value(for key: String, render: () throws -> (Data, Date?)) throws -> Rendered {
        // Read the version first: a commit while rendering makes the next request render again.
        let version = try probe.version()
        if let hit = entries.withLock({ $0[key] }), hit.version == version { return hit }
        let (body, lastModified) = try render()
        let rendered = Rendered(version: version, body: ByteBuffer(bytes: body), tag: EntityTag.of(body), lastModified: lastModified)
        entries.withLock { entries in
            entries = entries.filter { $0.value.version == version }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = rendered
        }
        return rendered
    }
}
