import Foundation
import GRDB

/// A value as a backend stores it, without SQLite's or PostgreSQL's types: what a copy moves
/// and what ``TableDigest`` hashes. Booleans are integers 0 and 1, as SQLite stores them.
public enum StoredValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// One of the store's tables as the SQLite schema declares it: columns in order, declared
/// types and the primary key (rows are read in its order), for copying a database to another
/// backend and for comparing two backends' schemas.
public struct StoredTable: Sendable, Equatable {
    public struct Column: Sendable, Equatable {
        public var name: String
        /// As declared in SQLite: `INTEGER`, `TEXT`, `REAL`, `BLOB`, `BOOLEAN` or `DATETIME`.
        public var declaredType: String
        public var notNull: Bool
    }

    public var name: String
    public var columns: [Column]
    public var primaryKey: [String]
}

extension DrugCheckDatabase {
    /// Every table of the store (not SQLite's nor GRDB's bookkeeping), by name.
    public func storedTables() throws -> [StoredTable] {
        try pool.read { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
                """)
            return try names.map { name in
                let info = try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", arguments: [name])
                let columns = info.map { StoredTable.Column(name: $0[0], declaredType: ($0[1] as String).uppercased(), notNull: $0[2]) }
                let key = info.filter { ($0[3] as Int) > 0 }.sorted { ($0[3] as Int) < ($1[3] as Int) }.map { $0[0] as String }
                return StoredTable(name: name, columns: columns, primaryKey: key.isEmpty ? columns.map(\.name) : key)
            }
        }
    }

    /// Hands every row of each table to `body`, table by table in primary-key order, all from
    /// one read transaction: a consistent snapshot however long the copy takes.
    public func forEachRow(of tables: [StoredTable], _ body: (StoredTable, [StoredValue]) throws -> Void) throws {
        try pool.read { db in
            for table in tables {
                try Self.forEachRow(of: table, in: db) { try body(table, $0) }
            }
        }
    }

    /// The digest of each table, from one snapshot.
    public func digests(of tables: [StoredTable]) throws -> [String: TableDigest] {
        var result: [String: TableDigest] = [:]
        try forEachRow(of: tables) { table, row in result[table.name, default: TableDigest()].add(row) }
        for table in tables where result[table.name] == nil { result[table.name] = TableDigest() }
        return result
    }

    private static func forEachRow(of table: StoredTable, in db: Database, _ body: ([StoredValue]) throws -> Void) throws {
        let columns = table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        let order = table.primaryKey.map { "\"\($0)\"" }.joined(separator: ", ")
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM \"\(table.name)\" ORDER BY \(order)")
        while let row = try rows.next() {
            try body(row.databaseValues.map(StoredValue.init))
        }
    }
}

extension StoredValue {
    /// A time as GRDB stores a `Date` (`yyyy-MM-dd HH:mm:ss.SSS`, UTC), on either backend.
    public static func time(_ date: Date) -> StoredValue { StoredValue(date.databaseValue) }

    /// Any value as GRDB stores it in SQLite (nil as NULL).
    public static func of(_ value: (any DatabaseValueConvertible)?) -> StoredValue { StoredValue(value?.databaseValue ?? .null) }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let n): self = .integer(n)
        case .double(let x): self = .real(x)
        case .string(let s): self = .text(s)
        case .blob(let data): self = .blob([UInt8](data))
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let n): n.databaseValue
        case .real(let x): x.databaseValue
        case .text(let s): s.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
    }
}
