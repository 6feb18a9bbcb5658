import Foundation
import GRDBSQLite

/// Tells whether anything was committed to the database since an earlier look: what the
/// server's caches are kept by (SQLite's ``DatabaseChangeProbe``, or PostgreSQL's).
public protocol ChangeProbe: Sendable {
    /// A number that differs from every earlier answer once something was committed since.
    func version() throws -> Int64
}

/// Tells whether anything was committed to the database since an earlier look, by this process
/// or any other (a CLI import while the server runs): SQLite's `PRAGMA data_version`, read on a
/// connection of its own that never writes, changes with every commit of another connection.
///
/// The server asks once per request. Through a GRDB `DatabaseQueue` each ask was a
/// `DispatchQueue.sync` that both event loops contended for: about 6 % of the server's CPU in the
/// `perf` profile of the Atom feed under wrk (BENCHMARKS.md, "HTTP"). So this one read uses the
/// SQLite C API directly: a read-only connection and a prepared statement behind a plain lock.
///
/// ```swift
/// let probe = try DatabaseChangeProbe(database: db)
/// let seen = try probe.version()
/// // … later
/// if try probe.version() != seen { /* rebuild what was derived from the data */ }
/// ```
public final class DatabaseChangeProbe: ChangeProbe, @unchecked Sendable {
    private let lock = NSLock()
    private let connection: OpaquePointer
    private let statement: OpaquePointer

    public init(database: DrugCheckDatabase) throws {
        var handle: OpaquePointer?
        let opened = sqlite3_open_v2(database.path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseProbeError(message: "\(database.path): \(message)")
        }
        // A WAL reader waits only during the rare recovery of the WAL index; never for long.
        sqlite3_busy_timeout(handle, 1000)
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "PRAGMA data_version", -1, &prepared, nil) == SQLITE_OK, let prepared else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw DatabaseProbeError(message: "\(database.path): \(message)")
        }
        connection = handle
        statement = prepared
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
    }

    /// A number that differs from every earlier answer once another connection has committed.
    public func version() throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else {
            throw DatabaseProbeError(message: "PRAGMA data_version: \(String(cString: sqlite3_errmsg(connection)))")
        }
        return sqlite3_column_int64(statement, 0)
    }
}

/// The data version could not be read (database missing, unreadable or locked too long).
public struct DatabaseProbeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
