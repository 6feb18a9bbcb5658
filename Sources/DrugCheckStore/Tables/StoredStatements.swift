import Foundation
import GRDB

/// Queries that answer with stored values: what a read-only reader (``StoredRowReader``) and a
/// write transaction (``StoredStatements``) both offer, so a record reads the same through either.
public protocol StoredRowQueries {
    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]]
    /// The same rows with the query's column names (none without rows), for records to decode.
    func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]])
    /// The same rows handed to `body` one at a time as they are read, for results too large to hold.
    func forEachRow(_ sql: String, _ arguments: [StoredValue], _ body: ([StoredValue]) throws -> Void) throws
}

extension StoredRowQueries {
    public func forEachRow(_ sql: String, _ arguments: [StoredValue], _ body: ([StoredValue]) throws -> Void) throws {
        for values in try rows(sql, arguments) { try body(values) }
    }
}

/// The statements of one write transaction on whichever backend holds the database, in SQL both
/// run as written (`?` placeholders, standard SQL, `RETURNING`): how a stage writes its own
/// tables once for SQLite and PostgreSQL. A SQLite `Database` inside `write` is one.
public protocol StoredStatements: StoredRowQueries {
    func execute(_ sql: String, _ arguments: [StoredValue]) throws
}

/// A database that runs write transactions one at a time, whatever the number of processes:
/// SQLite by its single writer, PostgreSQL by a transaction-scoped advisory lock.
///
/// ```swift
/// let writer: any StoredRowWriter = database          // or a PostgresSession
/// try writer.writeTransaction { statements in
///     try statements.execute("UPDATE bulletin SET note = ? WHERE id = ?", [.text("checked"), .integer(7)])
/// }
/// ```
public protocol StoredRowWriter: StoredRowReader {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func writeTransaction<T>(_ body: (any StoredStatements) throws -> T) throws -> T
    /// The same, waiting for the writers before it for at most `waitLimit` seconds; then
    /// ``DatabaseBusy``, with nothing written (an import's wait for its turn).
    func writeTransaction<T>(waitingAtMost waitLimit: TimeInterval, _ body: (any StoredStatements) throws -> T) throws -> T
}

extension StoredRowQueries {
    /// GRDB rows of stored values, each readable by column name, for records to decode as they
    /// decode SQLite's own rows.
    public func fetchRows(_ sql: String, _ arguments: [StoredValue] = []) throws -> [Row] {
        let (columns, rows) = try namedRows(sql, arguments)
        return rows.map { Row(columns: columns, values: $0) }
    }
}

extension StoredStatements {

    /// Inserts `record` into its table.
    public func insert<Record: EncodableRecord & TableRecord>(_ record: Record) throws {
        let values = try Self.columnValues(of: record)
        try execute(Self.insertSQL(Record.databaseTableName, values.map(\.key)), values.map(\.value))
    }

    /// Inserts `record` into its table, its nil `id` left to the database, and returns the new
    /// row's id.
    public func insertReturningID<Record: EncodableRecord & TableRecord>(_ record: Record) throws -> Int64 {
        let values = try Self.columnValues(of: record).filter { $0.key != "id" || $0.value != .null }
        let sql = Self.insertSQL(Record.databaseTableName, values.map(\.key)) + " RETURNING id"
        guard case let .integer(id)? = try rows(sql, values.map(\.value)).first?.first else { throw StoredWriteError.noRowID(Record.databaseTableName) }
        return id
    }

    private static func insertSQL(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
    }

    /// Writes every column of `record` to the row with its `id`.
    public func update<Record: EncodableRecord & TableRecord>(_ record: Record, id: Int64) throws {
        let values = try Self.columnValues(of: record).filter { $0.key != "id" }
        try execute("UPDATE \(Record.databaseTableName) SET \(values.map { "\($0.key) = ?" }.joined(separator: ", ")) WHERE id = ?",
                    values.map(\.value) + [.integer(id)])
    }

    /// The record's columns as GRDB encodes them for SQLite, in name order: a Boolean becomes an
    /// integer, which PostgreSQL's typed `BOOLEAN` columns refuse, so records written this way
    /// hold none (write those columns with `(? <> 0)` in SQL of your own).
    private static func columnValues(of record: some EncodableRecord) throws -> [(key: String, value: StoredValue)] {
        try record.databaseDictionary.sorted { $0.key < $1.key }.map { ($0.key, StoredValue($0.value)) }
    }
}

/// A write the database did not answer as the store expects.
public enum StoredWriteError: Error, CustomStringConvertible {
    case noRowID(String)
    case vanished(sample: Int64)

    public var description: String {
        switch self {
        case .noRowID(let table): "the database gave no id for the new row of \(table)"
        case .vanished(let id): "sample \(id) vanished during the transaction"
        }
    }
}

extension Database: StoredStatements {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try Row.fetchAll(self, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
            row.databaseValues.map(StoredValue.init)
        }
    }

    public func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]]) {
        let rows = try fetchRows(sql, arguments.map(\.databaseValue))
        return (rows.first.map { Array($0.columnNames) } ?? [], rows.map { $0.databaseValues.map(StoredValue.init) })
    }

    public func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        try execute(sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue)))
    }
}

extension DrugCheckDatabase: StoredRowWriter {
    public func writeTransaction<T>(_ body: (any StoredStatements) throws -> T) throws -> T {
        try pool.write { db in try body(db) }
    }

    public func writeTransaction<T>(waitingAtMost waitLimit: TimeInterval, _ body: (any StoredStatements) throws -> T) throws -> T {
        try retryingWhileBusy(waitLimit: waitLimit) { try pool.write { db in try body(db) } }
    }
}
