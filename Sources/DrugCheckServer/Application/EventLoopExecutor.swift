import NIOCore
import NIOPosix

/// Runs Swift concurrency's global jobs on the NIO event loops that serve the sockets.
///
/// Without it every request hops from an event loop to the cooperative pool and back; with only
/// a few cores those thread switches led the `perf` profile of the feed under wrk
/// (BENCHMARKS.md, "HTTP"). Safe here because blocking work (SQLite, file parsing) already goes
/// through ``Blocking/run(_:)`` to Dispatch, never onto the executor.
///
/// ```swift
/// EventLoopExecutor.install()   // first thing in `drugcheck serve`, before the app starts
/// ```
public enum EventLoopExecutor {
    /// Installs the takeover once per process; `false` where NIO cannot (the default executor stays).
    @discardableResult
    public static func install() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
