import DrugCheckStore
import Foundation
import Synchronization

/// Sessions to one PostgreSQL database for a server's concurrent requests: each query or
/// transaction takes an idle session (or opens one), and gives it back when done. A session's
/// transaction never mixes with another request's statements, and a broken connection is
/// dropped rather than given back.
///
/// ```swift
/// let pool = try PostgresSessionPool(location: location)   // refuses an out-of-date schema
/// let reports = PostgresReportReader(sessions: pool)
/// try pool.writeTransaction { statements in … }
/// ```
public final class PostgresSessionPool: Sendable {
    public let location: PostgresLocation
    private let idle: Mutex<[PostgresSession]>
    /// Sessions kept open between requests; more are opened while many requests run at once.
    private let keptIdle: Int

    /// A pool whose first session checks that the schema is current.
    public init(location: PostgresLocation, keptIdle: Int = 8) throws {
        self.location = location
        self.keptIdle = keptIdle
        idle = Mutex([try PostgresMigrator.connectToCurrentSchema(location)])
    }

    /// A pool that starts with `session` (already checked).
    public init(session: PostgresSession, keptIdle: Int = 8) {
        location = session.location
        self.keptIdle = keptIdle
        idle = Mutex([session])
    }

    /// Runs `body` on a session of its own.
    public func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let session = try idle.withLock { $0.popLast() } ?? PostgresSession.connect(to: location)
        defer {
            if session.isOpen {
                let surplus = idle.withLock { sessions -> Bool in
                    guard sessions.count < keptIdle else { return true }
                    sessions.append(session)
                    return false
                }
                if surplus { session.close() }
            }
        }
        return try body(session)
    }

    /// Closes the idle sessions (those in use close when released).
    public func close() {
        for session in idle.withLock({ sessions in defer { sessions.removeAll() }; return sessions }) { session.close() }
    }
}

extension PostgresSessionPool: StoredRowWriter {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try withSession { try $0.rows(sql, arguments) }
    }

    public func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]]) {
        try withSession { try $0.namedRows(sql, arguments) }
    }

    public func forEachRow(_ sql: String, _ arguments: [StoredValue], _ body: ([StoredValue]) throws -> Void) throws {
        try withSession { try $0.forEachRow(sql, arguments, body) }
    }

    public func writeTransaction<T>(_ body: (any StoredStatements) throws -> T) throws -> T {
        try withSession { try $0.writeTransaction(body) }
    }

    public func writeTransaction<T>(waitingAtMost waitLimit: TimeInterval, _ body: (any StoredStatements) throws -> T) throws -> T {
        try withSession { try $0.writeTransaction(waitingAtMost: waitLimit, body) }
    }
}

extension PostgresSessionPool: StoredStatements {
    /// One statement in a transaction of its own, outside the writers' turn: for data no cached
    /// view shows (web sessions).
    public func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        try withSession { try $0.execute(sql, arguments) }
    }
}
