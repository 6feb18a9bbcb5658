import DrugCheckStore
import Foundation
import PostgresNIO

/// PostgreSQL answers the stages' read queries (``StoredRowReader``) with the same stored
/// values SQLite gives: `drugcheck audit verify` and the bulletin listings and feed on a server
/// database.
extension PostgresSession: StoredRowReader {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try query(sql.numberedPlaceholders(), PostgresBindings(stored: arguments)).map { try $0.map(StoredValue.init) }
    }

    public func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]]) {
        let rows = try query(sql.numberedPlaceholders(), PostgresBindings(stored: arguments))
        return (rows.first.map { $0.map(\.columnName) } ?? [], try rows.map { try $0.map(StoredValue.init) })
    }

    /// Rows as they arrive: a batch's digest reads every finding of the batch, which held in
    /// one array took hundreds of megabytes for a 300,000-row file.
    public func forEachRow(_ sql: String, _ arguments: [StoredValue], _ body: ([StoredValue]) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            // The rows are handed over on the connection's event loop while this thread waits for
            // the end; the driver keeps its row closure a little longer, so it holds a box, emptied here.
            let handOver = RowHandOver(body: body)
            defer { handOver.body = nil }
            try forEachRow(sql.numberedPlaceholders(), PostgresBindings(stored: arguments)) { row in
                try handOver.body?(try row.map(StoredValue.init))
            }
        }
    }
}

/// The caller's row handler, called on the event loop while the caller waits (never at once).
private final class RowHandOver: @unchecked Sendable {
    var body: (([StoredValue]) throws -> Void)?

    init(body: @escaping ([StoredValue]) throws -> Void) {
        self.body = body
    }
}

/// PostgreSQL runs the stages' write transactions (``StoredRowWriter``) one at a time, as SQLite
/// does: each takes the same transaction-scoped advisory lock first, so that two processes or
/// server instances never interleave their steps (the audit log's next entry, a bulletin's
/// next version) and a lock is never left behind by a process that dies.
extension PostgresSession: StoredRowWriter, StoredStatements {
    /// The advisory lock every write transaction holds: "DrugCheck" in ASCII.
    public static let writeLock: Int64 = 0x4472_7567_4368_6563

    /// The longest a write waits for the writers before it, as SQLite's imports.
    public static let writeWaitLimit: TimeInterval = 120

    public func writeTransaction<T>(_ body: (any StoredStatements) throws -> T) throws -> T {
        try writeTransaction(waitingAtMost: Self.writeWaitLimit, body)
    }

    public func writeTransaction<T>(waitingAtMost waitLimit: TimeInterval, _ body: (any StoredStatements) throws -> T) throws -> T {
        try transaction {
            try takeWriteLock(waitingAtMost: waitLimit)
            pipelining.withLockedValue { $0 = true }
            defer { pipelining.withLockedValue { $0 = false } }
            let result = try body(self)
            // Delivered with the commit to every listening server instance (`PostgresChangeProbe`);
            // a transaction that wrote nothing has no transaction id and tells no one.
            try query("SELECT pg_notify('\(PostgresChangeProbe.channel)', '') WHERE pg_current_xact_id_if_assigned() IS NOT NULL")
            return result
        }
    }

    /// The writers' turn, waited for at most `waitLimit` seconds; the transaction's own statements
    /// are not limited.
    private func takeWriteLock(waitingAtMost waitLimit: TimeInterval) throws {
        try query("SET LOCAL lock_timeout = \(max(1, Int(waitLimit * 1000)))")
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(\(Self.writeLock))"), logger: logger).wait()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "55P03" {   // lock_not_available
            throw DatabaseBusy(path: location.description, waitedSeconds: Int(waitLimit.rounded()))
        } catch {
            throw PostgresTrouble.describe(error, at: location, connecting: false)
        }
        try query("SET LOCAL lock_timeout = 0")
    }

    /// In a write transaction the statement is only sent (``send(_:_:)``): nothing waits for
    /// its answer but the next statement that returns rows, or the commit.
    public func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        if pipelining.withLockedValue({ $0 }) {
            send(sql.numberedPlaceholders(), PostgresBindings(stored: arguments))
        } else {
            try query(sql.numberedPlaceholders(), PostgresBindings(stored: arguments))
        }
    }
}

extension PostgresBindings {
    /// Stored values bound as PostgreSQL's own types (a NULL untyped).
    init(stored values: [StoredValue]) {
        self.init(capacity: values.count)
        for value in values {
            switch value {
            case .null: appendNull()
            case let .integer(n): append(n)
            case let .real(x): append(x)
            case let .text(s): append(s)
            case let .blob(bytes): append(ByteBuffer(bytes: bytes))
            }
        }
    }
}
