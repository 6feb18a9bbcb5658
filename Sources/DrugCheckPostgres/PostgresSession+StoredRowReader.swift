import DrugCheckStore
import PostgresNIO

/// PostgreSQL answers the stages' read queries (``StoredRowReader``) with the same stored
/// values SQLite gives: `drugcheck audit verify` and the bulletin listings and feed on a server
/// database.
extension PostgresSession: StoredRowReader {
    public func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case let .integer(value): binds.append(value)
            case let .real(value): binds.append(value)
            case let .text(value): binds.append(value)
            case let .blob(bytes): binds.append(ByteBuffer(bytes: bytes))
            }
        }
        return try query(sql.numberedPlaceholders(), binds).map { try $0.map(StoredValue.init) }
    }
}
