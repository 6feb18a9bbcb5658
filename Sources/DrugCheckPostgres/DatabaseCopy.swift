import DrugCheckStore
import PostgresNIO

/// Moves a DrugCheck database from its SQLite file to an empty PostgreSQL database: every
/// table's rows, read in one snapshot and written in one PostgreSQL transaction, then read back
/// and compared table by table (row count and ``TableDigest``) before committing. A copy that
/// differs in any table is rolled back, so the target holds all of the source or nothing.
///
/// ```swift
/// let result = try DatabaseCopy.run(from: try DrugCheckDatabase(path: "drugcheck.sqlite"),
///                                   to: try PostgresSession.connect(to: location))
/// print(result.tables.map { "\($0.name) \($0.rows)" })
/// ```
public enum DatabaseCopy {
    public struct CopiedTable: Sendable, Equatable {
        public var name: String
        public var rows: Int
        public var sha256: String
    }

    public struct Result: Sendable {
        public var tables: [CopiedTable]
        public var auditHead: AuditHead?
    }

    /// Tables whose rows make a database "not empty": copying on top of them would mix two databases.
    static let contentTables = ["lab", "import_batch", "audit_entry", "api_user", "spectral_library", "subscriber"]

    public static func run(from source: DrugCheckDatabase, to target: PostgresSession) throws -> Result {
        try PostgresMigrator.migrate(target)
        for table in contentTables where try !target.query("SELECT 1 FROM \(table) LIMIT 1").isEmpty {
            throw PostgresTrouble.notEmpty(target.location.description)
        }
        let tables = try source.storedTables()
        let targetColumns = try target.tableColumns()
        let differences = PostgresSchemaComparison.differences(sqlite: tables, postgres: targetColumns)
        guard differences.isEmpty else {
            throw PostgresTrouble.statementFailed(target.location.description,
                                                  reason: "its schema differs from the SQLite file's: \(differences.joined(separator: "; "))")
        }
        let result = try target.transaction {
            try target.query("SET CONSTRAINTS ALL DEFERRED")
            // The aggregates are copied with the rows they count: their triggers stand aside.
            try target.query("SET LOCAL \(AggregateTrigger.deferredSetting) = 'on'")
            var sourceDigests: [String: TableDigest] = [:]
            var pending: [[StoredValue]] = []
            var current: StoredTable?
            let flush = {
                if let table = current { try target.insert(pending, into: table, columns: targetColumns[table.name]!) }
                pending.removeAll(keepingCapacity: true)
            }
            try source.forEachRow(of: tables) { table, row in
                if current?.name != table.name { try flush(); current = table }
                sourceDigests[table.name, default: TableDigest()].add(row)
                pending.append(row)
                if pending.count >= 5_000 { try flush() }
            }
            try flush()
            try restartIdentities(tables: tables, columns: targetColumns, on: target)
            // Constraints are checked here, before the copy is compared and committed.
            try target.query("SET CONSTRAINTS ALL IMMEDIATE")

            var copied: [CopiedTable] = []
            var mismatched: [String] = []
            for table in tables {
                let expected = sourceDigests[table.name] ?? TableDigest()
                let actual = try target.digest(of: table, columns: targetColumns[table.name]!)
                if actual != expected { mismatched.append("\(table.name) (\(expected.rows) rows in SQLite, \(actual.rows) copied)") }
                copied.append(CopiedTable(name: table.name, rows: actual.rows, sha256: actual.hex))
            }
            guard mismatched.isEmpty else { throw PostgresTrouble.copyMismatch(mismatched) }
            return Result(tables: copied, auditHead: try PostgresReportReader(session: target).auditHead())
        }
        // The planner's statistics of the new rows now, not at autovacuum's next round: without
        // them it took a page of the verification queue (0.5 ms) for 300 ms on a 1 M-row copy.
        try target.query("ANALYZE")
        return result
    }

    /// Identity columns continue after the copied ids, so the next row gets a new one.
    private static func restartIdentities(tables: [StoredTable], columns: [String: [PostgresColumn]], on target: PostgresSession) throws {
        for table in tables {
            for column in columns[table.name] ?? [] where column.isIdentity {
                try target.query("""
                    SELECT setval(pg_get_serial_sequence('"\(table.name)"', '\(column.name)'),
                                  COALESCE((SELECT max("\(column.name)") FROM "\(table.name)"), 0) + 1, false)
                    """)
            }
        }
    }
}
