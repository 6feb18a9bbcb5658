import DrugCheckStore
import ServiceLifecycle

/// Renders the reports and ministry pages people were reading again as soon as new data are
/// committed — by this server's imports, the drop folder or a CLI import in another process —
/// so that the first reader after an import gets a page rendered ahead instead of waiting for
/// the weekly report to be rebuilt (hundreds of milliseconds on a national database).
///
/// It looks at the database's data version every `interval` (one `PRAGMA data_version` read,
/// microseconds) and runs as one of the application's services, ending with the server; at
/// start it renders the `standing` views, so the first reader after a restart does not wait either.
///
/// ```swift
/// Application(router: router, services: [CacheRefresher(cache: cache, probe: probe)])
/// ```
struct CacheRefresher: Service {
    let cache: RenderedCache
    let probe: any ChangeProbe
    /// What readers open first (the ministry's latest week), rendered ahead at start too.
    var standing: @Sendable () throws -> [(key: String, recipe: RenderedCache.Recipe)] = { [] }
    /// What pages load once per process (the bundled spectral library), loaded at start.
    var warmUp: @Sendable () -> Void = {}
    var interval: Duration = .milliseconds(200)

    func run() async throws {
        // A graceful shutdown (SIGTERM, SIGINT) cancels the wait between looks: the server stops
        // cleanly, with no error to report.
        do { try await refreshUntilShutdown() } catch is CancellationError {}
    }

    private func refreshUntilShutdown() async throws {
        try await cancelWhenGracefulShutdown {
            let warmUp = warmUp
            try await Blocking.run { warmUp() }
            var seen: Int64?
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                // A failed read (database locked too long) is tried again at the next tick.
                guard let version = try? probe.version(), version != seen else { continue }
                seen = version
                let (probe, standing) = (probe, standing)
                let views = (try? await Blocking.run { try standing() }) ?? []
                await cache.refresh(version: version, standing: views, isCurrent: { (try? probe.version()) == version })
            }
        }
    }
}
