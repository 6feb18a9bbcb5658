import Foundation
import GRDB

/// Read-only SQL that both backends run as written (`?` placeholders, standard SQL), answered
/// with the values as stored (booleans as integers 0 and 1, times as the text GRDB writes): how
/// a stage reads its own tables on whichever backend holds them. The SQLite store is one; a
/// PostgreSQL session is another (`DrugCheckPostgres`).
///
/// ```swift
/// let reader: any StoredRowReader = database          // or a PostgresSession
/// let rows = try reader.rows("SELECT id, state FROM bulletin WHERE state = ?", [.text("published")])
/// ```
public protocol StoredRowReader: StoredRowQueries, Sendable {}

extension DrugCheckDatabase: StoredRowReader {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
                row.databaseValues.map(StoredValue.init)
            }
        }
    }

    public func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]]) {
        let rows = try pool.read { db in try db.fetchRows(sql, arguments.map(\.databaseValue)) }
        return (rows.first.map { Array($0.columnNames) } ?? [], rows.map { $0.databaseValues.map(StoredValue.init) })
    }
}

/// Where the sample readers fetch their rows: a SQLite transaction, or any backend's
/// ``StoredRowReader`` (``ReaderRows``), so that one reader serves both.
protocol RowSource {
    func fetchRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row]
    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, _ arguments: [DatabaseValue]) throws -> [Record]
}

extension Database: RowSource {
    func fetchRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try Row.fetchAll(self, sql: sql, arguments: StatementArguments(arguments))
    }

    /// Records decoded straight from the statement (no row copied on the way).
    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, _ arguments: [DatabaseValue]) throws -> [Record] {
        try Record.fetchAll(self, sql: sql, arguments: StatementArguments(arguments))
    }
}

/// The rows of a ``StoredRowReader``, one statement at a time.
struct ReaderRows: RowSource {
    let reader: any StoredRowReader

    func fetchRows(_ sql: String, _ arguments: [DatabaseValue]) throws -> [Row] {
        try reader.fetchRows(sql, arguments.map(StoredValue.init))
    }

    func fetchAll<Record: FetchableRecord>(_ type: Record.Type, _ sql: String, _ arguments: [DatabaseValue]) throws -> [Record] {
        try fetchRows(sql, arguments).map(Record.init(row:))
    }
}

extension Row {
    /// A GRDB row of stored values read from any backend, so that records decode it as they
    /// decode SQLite's own rows. Read it by column name: the columns' order is not kept.
    public convenience init(columns: [String], values: [StoredValue]) {
        self.init(Dictionary(uniqueKeysWithValues: zip(columns, values.map { $0.databaseValue as (any DatabaseValueConvertible)? })))
    }
}

extension StoredRowQueries {
    /// Whether SQLite answers, for the few queries written in each backend's dialect.
    var isSQLite: Bool { self is DrugCheckDatabase || self is Database }
}
