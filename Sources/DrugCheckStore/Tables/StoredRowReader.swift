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
public protocol StoredRowReader: Sendable {
    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]]
}

extension DrugCheckDatabase: StoredRowReader {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments.map(\.databaseValue))).map { row in
                row.databaseValues.map(StoredValue.init)
            }
        }
    }
}

extension Row {
    /// A GRDB row of stored values read from any backend, so that records decode it as they
    /// decode SQLite's own rows.
    public convenience init(columns: [String], values: [StoredValue]) {
        self.init(Dictionary(uniqueKeysWithValues: zip(columns, values.map { $0.databaseValue as (any DatabaseValueConvertible)? })))
    }
}
