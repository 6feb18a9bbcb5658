import DrugCheckStore

/// Compares the SQLite store's tables with the PostgreSQL database's: the same tables, the same
/// columns in the same order, the same `NOT NULL`s and matching types. The two backends' migrations
/// are written separately, each in its own dialect; this keeps them in step.
public enum PostgresSchemaComparison {
    /// The PostgreSQL type each SQLite declared type is stored as.
    static let typeForDeclared = [
        "INTEGER": "bigint", "TEXT": "text", "REAL": "double precision", "BLOB": "bytea", "BOOLEAN": "boolean", "DATETIME": "text",
    ]

    /// Tables that belong to PostgreSQL only: its migrations' bookkeeping, and the web sessions
    /// that server instances share (SQLite keeps them in a file of their own, `WebSessionStore`).
    static let postgresOnly: Set<String> = ["drugcheck_migration", "web_session"]

    /// Every difference in plain words; empty when the schemas agree.
    public static func differences(sqlite tables: [StoredTable], postgres: [String: [PostgresColumn]]) -> [String] {
        var differences: [String] = []
        let sqliteNames = Set(tables.map(\.name))
        for name in Set(postgres.keys).subtracting(sqliteNames).subtracting(postgresOnly).sorted() {
            differences.append("table \(name) is in PostgreSQL only")
        }
        for table in tables {
            guard let columns = postgres[table.name] else {
                differences.append("table \(table.name) is in SQLite only")
                continue
            }
            if columns.map(\.name) != table.columns.map(\.name) {
                differences.append("table \(table.name) has columns (\(table.columns.map(\.name).joined(separator: ", "))) in SQLite "
                                   + "but (\(columns.map(\.name).joined(separator: ", "))) in PostgreSQL")
                continue
            }
            for (s, p) in zip(table.columns, columns) {
                let expected = typeForDeclared[s.declaredType] ?? "?"
                if expected != p.dataType {
                    differences.append("\(table.name).\(s.name) is \(s.declaredType) in SQLite (expected \(expected)) but \(p.dataType) in PostgreSQL")
                }
                // SQLite lets an INTEGER PRIMARY KEY be declared nullable; PostgreSQL's primary keys never are.
                let sqliteNotNull = s.notNull || table.primaryKey == [s.name]
                if sqliteNotNull != p.notNull {
                    differences.append("\(table.name).\(s.name) is \(sqliteNotNull ? "NOT NULL" : "nullable") in SQLite but \(p.notNull ? "NOT NULL" : "nullable") in PostgreSQL")
                }
            }
        }
        return differences
    }
}
