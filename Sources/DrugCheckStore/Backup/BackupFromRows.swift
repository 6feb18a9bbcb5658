import Foundation
import GRDB

/// The rows of a DrugCheck database held by another backend (PostgreSQL), read for a backup:
/// each table's rows in primary-key order, text keys compared byte by byte as SQLite does, all
/// from one snapshot.
public protocol BackupSource {
    func forEachRow(of tables: [StoredTable], _ body: (StoredTable, [StoredValue]) throws -> Void) throws
}

extension DatabaseBackup {
    /// A backup of a database held by another backend, in the same form as ``write(_:to:replacing:)``
    /// makes of a SQLite database, so `drugcheck restore` takes it on either backend: a new
    /// SQLite file with the current schema, filled with every row `source` reads (the aggregates
    /// copied, not counted again), compared table by table with what was read (row count and
    /// ``TableDigest``), then written in rollback-journal mode with its manifest beside it.
    ///
    /// ```swift
    /// let manifest = try DatabaseBackup.write(from: postgresSession, to: "/backups/eu-2026-12-05.sqlite")
    /// ```
    @discardableResult
    public static func write(from source: some BackupSource, to path: String, replacing: Bool = false) throws -> BackupManifest {
        try write(to: path, replacing: replacing) { partial in try fill(partial, from: source, naming: path) }
    }

    /// A new database at `path` holding exactly `source`'s rows, checked; closed on return.
    private static func fill(_ path: String, from source: some BackupSource, naming backup: String) throws {
        let database = try DrugCheckDatabase(path: path)
        let tables = try database.storedTables()
        var read: [String: TableDigest] = [:]
        try database.pool.write { db in
            // The rows come as they are, aggregates and audit entries included: no trigger may add to them.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid")
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \"\(trigger["name"] as String)\"") }
            for table in tables { try db.execute(sql: "DELETE FROM \"\(table.name)\"") }
            var inserts: [String: Statement] = [:]
            try source.forEachRow(of: tables) { table, row in
                read[table.name, default: TableDigest()].add(row)
                let insert = try inserts[table.name] ?? db.makeStatement(sql: """
                    INSERT INTO "\(table.name)" (\(table.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")))
                    VALUES (\(Array(repeating: "?", count: table.columns.count).joined(separator: ", ")))
                    """)
                inserts[table.name] = insert
                try insert.execute(arguments: StatementArguments(row.map(\.databaseValue)))
            }
            for trigger in triggers { try db.execute(sql: trigger["sql"]) }
        }
        let written = try database.digests(of: tables)
        let differing = tables.map(\.name).filter { (read[$0] ?? TableDigest()) != written[$0] }
        guard differing.isEmpty else { throw BackupError.copyDiffers(path: backup, tables: differing) }
    }
}
