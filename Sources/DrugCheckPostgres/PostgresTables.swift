import DrugCheckStore
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// A column of a table in the PostgreSQL database, as `information_schema` describes it.
public struct PostgresColumn: Sendable, Equatable {
    public var name: String
    /// `bigint`, `text`, `double precision`, `boolean` or `bytea`.
    public var dataType: String
    public var notNull: Bool
    public var isIdentity: Bool
}

extension PostgresSession {
    /// The columns of every table in the connection's schema, in column order.
    public func tableColumns() throws -> [String: [PostgresColumn]] {
        var tables: [String: [PostgresColumn]] = [:]
        for row in try query("""
            SELECT table_name::text, column_name::text, data_type::text, is_nullable::text, is_identity::text
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """) {
            let (table, column, type, nullable, identity) = try row.decode((String, String, String, String, String).self)
            tables[table, default: []].append(PostgresColumn(name: column, dataType: type, notNull: nullable == "NO", isIdentity: identity == "YES"))
        }
        return tables
    }

    /// The digest of `table`'s rows read back from PostgreSQL, in the order SQLite reads them:
    /// text keys compared byte by byte (`COLLATE "C"`), whatever the database's collation.
    public func digest(of table: StoredTable, columns: [PostgresColumn]) throws -> TableDigest {
        let digest = NIOLockedValueBox(TableDigest())
        try forEachRow(Self.selectInKeyOrder(table, columns: columns)) { row in
            let values = try row.map(StoredValue.init)
            digest.withLockedValue { $0.add(values) }
        }
        return digest.withLockedValue { $0 }
    }

    /// The table's rows in SQLite's order: by primary key, text compared byte by byte.
    static func selectInKeyOrder(_ table: StoredTable, columns: [PostgresColumn]) -> String {
        let types = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.dataType) })
        let order = table.primaryKey.map { types[$0] == "text" ? "\"\($0)\" COLLATE \"C\"" : "\"\($0)\"" }.joined(separator: ", ")
        return "SELECT \(table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")) FROM \"\(table.name)\" ORDER BY \(order)"
    }

    /// Inserts `rows` into `table` in statements of at most ~60,000 parameters, each value bound
    /// as its PostgreSQL column's type.
    func insert(_ rows: [[StoredValue]], into table: StoredTable, columns: [PostgresColumn]) throws {
        guard !rows.isEmpty else { return }
        let names = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let types = table.columns.map { column in columns.first { $0.name == column.name }?.dataType ?? "text" }
        let perStatement = max(1, 60_000 / types.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(rows.count, start + perStatement)]
            var binds = PostgresBindings(capacity: chunk.count * types.count)
            var tuples: [String] = []
            tuples.reserveCapacity(chunk.count)
            for row in chunk {
                let first = binds.count
                for (value, type) in zip(row, types) { try Self.bind(value, as: type, into: &binds, table: table.name) }
                tuples.append("(" + (first + 1...first + types.count).map { "$\($0)" }.joined(separator: ", ") + ")")
            }
            try query("INSERT INTO \"\(table.name)\" (\(names)) VALUES \(tuples.joined(separator: ", "))", binds)
            start += chunk.count
        }
    }

    private static func bind(_ value: StoredValue, as type: String, into binds: inout PostgresBindings, table: String) throws {
        switch (value, type) {
        case (.null, _): binds.appendNull()
        case let (.integer(n), "boolean"): binds.append(n != 0)
        case let (.integer(n), "double precision"): binds.append(Double(n))
        case let (.integer(n), "text"): binds.append(String(n))
        case let (.integer(n), _): binds.append(n)
        case let (.real(x), "bigint") where x == x.rounded() && abs(x) < 9e18: binds.append(Int64(x))
        case let (.real(x), "text"): binds.append("\(x)")
        case let (.real(x), _): binds.append(x)
        case let (.text(s), "bigint"):
            guard let n = Int64(s) else { throw PostgresTrouble.copyMismatch(["\(table) (text '\(s.prefix(40))' in a number column)"]) }
            binds.append(n)
        case let (.text(s), _): binds.append(s)
        case let (.blob(bytes), _): binds.append(ByteBuffer(bytes: bytes))
        }
    }
}

extension StoredValue {
    /// A PostgreSQL value as a ``StoredValue``: booleans as 0 and 1, like SQLite.
    init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else { self = .null; return }
        switch cell.dataType {
        case .int8, .int4, .int2: self = .integer(try cell.decode(Int64.self))
        case .bool: self = .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float8, .float4: self = .real(try cell.decode(Double.self))
        case .bytea: self = .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: self = .text(try cell.decode(String.self))
        }
    }
}

/// A backup of the PostgreSQL database (`drugcheck backup --db postgres://…`) reads every table
/// in SQLite's key order from one snapshot: a read-only repeatable-read transaction.
extension PostgresSession: BackupSource {
    static let backupChunk = 5_000

    public func forEachRow(of tables: [StoredTable], _ body: (StoredTable, [StoredValue]) throws -> Void) throws {
        try query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? query("COMMIT") }
        let columns = try tableColumns()
        for table in tables {
            guard let present = columns[table.name] else {
                throw PostgresTrouble.schemaNotCurrent(location.description, missing: ["table \(table.name)"])
            }
            // Fetched in chunks through a cursor, so `body` runs on this thread (the rows of a streamed
            // query arrive on the connection's event loop) and a large table is never held whole.
            try query("DECLARE drugcheck_backup NO SCROLL CURSOR FOR " + Self.selectInKeyOrder(table, columns: present))
            var fetched = Self.backupChunk
            while fetched == Self.backupChunk {
                let chunk = try rows("FETCH \(Self.backupChunk) FROM drugcheck_backup", [])
                for values in chunk { try body(table, values) }
                fetched = chunk.count
            }
            try query("CLOSE drugcheck_backup")
        }
    }
}
