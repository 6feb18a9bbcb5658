import DrugCheckStore
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
