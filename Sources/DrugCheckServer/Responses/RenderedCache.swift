import DrugCheckStore
import Foundation
import NIOCore
import Synchronization

/// Representations derived from the whole database (the weekly report, the Atom feed, the
/// ministry pages), kept with their entity tag for one data version of the database (see
/// ``DatabaseChangeProbe``): they are read far more often than data arrive and cost up to a few
/// hundred milliseconds to rebuild on a national database.
///
/// The cache also keeps how each entry was made, so that
/// ``refresh(version:standing:isCurrent:)`` can render the most recently asked entries again as
/// soon as data arrive (``CacheRefresher``), before anyone asks: the first reader after an
/// import then gets a page rendered ahead. Two readers of the same entry and version share one
/// rendering.
///
/// ```swift
/// let feed = try await cache.value("feed/en", version: context.dataVersion) { (try renderFeed(), newestEntry) }
/// ```
final class RenderedCache: Sendable {
    typealias Recipe = @Sendable () throws -> (Data, Date?)

    struct Rendered: Sendable {
        var version: Int64
        /// Shared by every response that sends it (copy-on-write): no copy per request.
        var body: ByteBuffer
        var tag: String
        var lastModified: Date?
    }

    private struct Known {
        var recipe: Recipe
        var lastAsked: Date
    }

    private struct State {
        var entries: [String: Rendered] = [:]
        var known: [String: Known] = [:]
        var inFlight: [String: (version: Int64, task: Task<Rendered, any Error>)] = [:]
    }

    private let capacity: Int
    private let metrics: ServerMetrics?
    private let state = Mutex(State())

    init(capacity: Int = 256, metrics: ServerMetrics? = nil) {
        self.capacity = capacity
        self.metrics = metrics
    }

    /// The kept representation, or a new one rendered on a blocking thread (or the one being
    /// rendered for this version already).
    func value(_ key: String, version: Int64, render make: @escaping Recipe) async throws -> Rendered {
        let now = Date()
        let (hit, task) = state.withLock { state -> (Rendered?, Task<Rendered, any Error>?) in
            if state.known.count >= capacity, state.known[key] == nil { state.known.removeAll() }
            state.known[key] = Known(recipe: make, lastAsked: now)
            if let hit = state.entries[key], hit.version == version { return (hit, nil) }
            if let running = state.inFlight[key], running.version == version { return (nil, running.task) }
            return (nil, startRendering(&state, key, version: version, make, cause: "request"))
        }
        if let hit { return hit }
        return try await task!.value
    }

    /// How many of the entries read within `recentness` a refresh renders again, newest first.
    private static let refreshLimit = 12
    private static let recentness: TimeInterval = 3600

    /// Renders again, for `version`, the entries asked most recently, then the `standing` ones
    /// (what readers open first), those not current yet; stops early when `isCurrent` says the
    /// data changed again (the next refresh takes over).
    func refresh(version: Int64, standing: [(key: String, recipe: Recipe)] = [], isCurrent: @Sendable () -> Bool = { true }) async {
        let since = Date().addingTimeInterval(-Self.recentness)
        let wanted = state.withLock { state in
            let recent = state.known.filter { $0.value.lastAsked >= since }.sorted { $0.value.lastAsked > $1.value.lastAsked }
                .prefix(Self.refreshLimit).map { (key: $0.key, recipe: $0.value.recipe) }
            let recentKeys = Set(recent.map(\.key))
            return (recent + standing.filter { !recentKeys.contains($0.key) }).filter { state.entries[$0.key]?.version != version }
        }
        for (key, recipe) in wanted where isCurrent() {
            let task = state.withLock { state -> Task<Rendered, any Error>? in
                guard state.entries[key]?.version != version, state.inFlight[key]?.version != version else { return nil }
                return startRendering(&state, key, version: version, recipe, cause: "refresh")
            }
            // A page that fails now fails for its next reader too, who is told why.
            _ = try? await task?.value
        }
    }

    /// Starts rendering `key` for `version` on a blocking thread; readers of the same entry and
    /// version find it in flight and wait for it.
    private func startRendering(_ state: inout State, _ key: String, version: Int64, _ make: @escaping Recipe,
                                cause: String) -> Task<Rendered, any Error> {
        let task = Task { try await Blocking.run { try self.render(key, version: version, make, cause: cause) } }
        state.inFlight[key] = (version, task)
        return task
    }

    /// Renders `key` and keeps it for `version`, the data version read before rendering (a commit
    /// during rendering then makes the next request render again).
    private func render(_ key: String, version: Int64, _ make: Recipe, cause: String) throws -> Rendered {
        defer { state.withLock { if $0.inFlight[key]?.version == version { $0.inFlight[key] = nil } } }
        let (body, lastModified) = try make()
        metrics?.recordRender(cause: cause)
        let rendered = Rendered(version: version, body: ByteBuffer(bytes: body), tag: EntityTag.of(body), lastModified: lastModified)
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.version == version }
            if state.entries.count >= capacity { state.entries.removeAll() }
            state.entries[key] = rendered
        }
        return rendered
    }
}
