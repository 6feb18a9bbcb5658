import DrugCheckStore
import Foundation
import Synchronization

/// Tells a server instance that something was committed to the PostgreSQL database, by this
/// instance or another one (the other server of a pair, a CLI import), as SQLite's
/// `PRAGMA data_version` does for a file (``DatabaseChangeProbe``): every write transaction
/// sends a notification on ``channel`` with its commit (`PostgresSession.writeTransaction`),
/// and this probe's own session listens. A notification arrives once the commit is visible, so
/// a view rebuilt after the version changed shows it. Asking costs no round trip.
///
/// ```swift
/// let probe = try PostgresChangeProbe(location: location)
/// let seen = try probe.version()
/// // … later
/// if try probe.version() != seen { /* rebuild what was derived from the data */ }
/// ```
public final class PostgresChangeProbe: ChangeProbe {
    /// The channel DrugCheck's write transactions notify.
    static let channel = "drugcheck_changes"

    private struct State {
        var session: PostgresSession?
        var version: Int64 = 0
        var reconnecting = false
    }

    public let location: PostgresLocation
    private let state = Mutex(State())

    public init(location: PostgresLocation) throws {
        self.location = location
        try listen()
    }

    deinit {
        state.withLock { $0.session?.close() }
    }

    /// A number that differs from every earlier answer once anything was committed. While the
    /// listening session is lost (a database restart), notifications may be missed: each answer
    /// is new, so nothing cached is trusted, and the probe connects again in the background
    /// (never waiting here: the server asks on its event loops).
    public func version() throws -> Int64 {
        state.withLock { state in
            guard state.session?.isOpen != true else { return state.version }
            state.version += 1
            if !state.reconnecting {
                state.reconnecting = true
                DispatchQueue.global().async { [weak self] in self?.reconnect() }
            }
            return state.version
        }
    }

    private func reconnect() {
        while (try? listen()) == nil { Thread.sleep(forTimeInterval: 1) }
        state.withLock { $0.reconnecting = false }
    }

    private func listen() throws {
        let session = try PostgresSession.connect(to: location)
        session.connection.addListener(channel: Self.channel) { [weak self] _, _ in
            self?.state.withLock { $0.version += 1 }
        }
        // The LISTEN goes out before this query on the same connection: once it returns, nothing
        // committed from now on goes unnoticed.
        try session.query("SELECT 1")
        let previous = state.withLock { state -> PostgresSession? in
            defer { state.session = session; state.version += 1 }
            return state.session
        }
        previous?.close()
    }
}
