import DrugCheckStore
import Foundation
import NIOCore
import Synchronization

/// Representations derived from the whole database (the weekly report, the Atom feed), kept
/// with their entity tag for one data version of the database (see ``DatabaseChangeProbe``):
/// they are read far more often than data arrive and cost milliseconds to rebuild.
///
/// ```swift
/// let feed = try await cache.value("feed/en", version: context.dataVersion) { (try renderFeed(), newestEntry) }
/// ```
final class RenderedCache: Sendable {
    struct Rendered: Sendable {
        var version: Int64
        /// Shared by every response that sends it (copy-on-write): no copy per request.
        var body: ByteBuffer
        var tag: String
        var lastModified: Date?
    }

    private let capacity: Int
    private let entries = Mutex<[String: Rendered]>([:])

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    /// The kept representation, or a new one rendered on a blocking thread.
    func value(_ key: String, version: Int64, render make: @escaping @Sendable () throws -> (Data, Date?)) async throws -> Rendered {
        if let hit = cached(key, version: version) { return hit }
        return try await Blocking.run { try self.render(key, version: version, make) }
    }

    private func cached(_ key: String, version: Int64) -> Rendered? {
        entries.withLock { $0[key] }.flatMap { $0.version == version ? $0 : nil }
    }

    /// Renders `key` and keeps it for `version`, the data version read before rendering (a commit
    /// during rendering then makes the next request render again).
    private func render(_ key: String, version: Int64, _ make: () throws -> (Data, Date?)) rethrows -> Rendered {
        let (body, lastModified) = try make()
        let rendered = Rendered(version: version, body: ByteBuffer(bytes: body), tag: EntityTag.of(body), lastModified: lastModified)
        entries.withLock { entries in
            entries = entries.filter { $0.value.version == version }
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = rendered
        }
        return rendered
    }
}
