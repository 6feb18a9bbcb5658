import Foundation
import GRDB

/// Tells whether anything was committed to the database since an earlier look, by this process
/// or any other (a CLI import while the server runs): SQLite's `PRAGMA data_version`, read on a
/// connection of its own that never writes, changes with every commit of another connection.
///
/// ```swift
/// let probe = try DatabaseChangeProbe(database: db)
/// let seen = try probe.version()
/// // … later
/// if try probe.version() != seen { /* rebuild what was derived from the data */ }
/// ```
public final class DatabaseChangeProbe: Sendable {
    private let connection: DatabaseQueue

    public init(database: DrugCheckDatabase) throws {
        var config = Configuration()
        config.readonly = true
        // A WAL reader waits only during the rare recovery of the WAL index; never for long.
        config.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: database.path, configuration: config)
    }

    /// A number that differs from every earlier answer once another connection has committed.
    public func version() throws -> Int64 {
        try connection.inDatabase { db in try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0 }
    }
}
