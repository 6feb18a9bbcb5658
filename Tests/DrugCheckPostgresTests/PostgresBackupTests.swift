import DrugCheckPostgres
import DrugCheckStore
import Foundation
import Testing

/// `drugcheck backup` and `restore` on PostgreSQL: a backup of the server database is a backup
/// file like SQLite's (its manifest, every row), restored into an empty PostgreSQL database or a
/// SQLite file with every table equal to the original; a changed backup is refused.
@Suite("PostgreSQL: backup and restore")
struct PostgresBackupTests {
    @Test func aBackupOfPostgreSQLRestoresOnBothBackendsWithEveryRow() throws {
        try PostgresBackendTests.withCopy(amended: true) { original, session in
            let tables = try original.storedTables()
            let expected = try original.digests(of: tables)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dc-pg-backup-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let backup = folder.appendingPathComponent("eu.sqlite").path

            let manifest = try DatabaseBackup.write(from: session, to: backup)
            #expect(manifest.auditHead == (try AuditLog(database: original).head()))
            #expect(manifest.counts["finding"] == (try original.rows("SELECT count(*) FROM finding", []).first?.first).flatMap {
                if case let .integer(n) = $0 { Int(n) } else { nil }
            })
            #expect(throws: BackupError.exists(path: backup)) { try DatabaseBackup.write(from: session, to: backup) }

            // Into a SQLite file, as any backup restores.
            let file = folder.appendingPathComponent("restored.sqlite").path
            try DatabaseRestore.restore(backup: backup, to: file)
            let restored = try DrugCheckDatabase(path: file)
            #expect(try restored.digests(of: tables) == expected)
            #expect(try AuditLog(database: restored).verify().isIntact)

            // Into an empty PostgreSQL database, through the same checks.
            let server = try TestPostgres()
            let target = try server.connect()
            defer { target.close() }
            let (checked, copied) = try DatabaseRestore.withCheckedCopy(of: backup) { try DatabaseCopy.run(from: DrugCheckDatabase(path: $0), to: target) }
            #expect(checked == manifest && copied.auditHead == manifest.auditHead)
            let columns = try target.tableColumns()
            for table in tables {
                #expect(try target.digest(of: table, columns: columns[table.name] ?? []) == expected[table.name], "\(table.name)")
            }

            // A backup changed after it was written is refused before anything is copied.
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: backup))
            try handle.seek(toOffset: 4096)
            try handle.write(contentsOf: Data([0xFF]))
            try handle.close()
            #expect(throws: BackupError.changedSinceBackup(path: backup)) {
                try DatabaseRestore.withCheckedCopy(of: backup) { _ in Issue.record("a changed backup was handed on") }
            }
        }
    }
}
