import ArgumentParser
import DrugCheckPostgres
import DrugCheckStore
import Foundation

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to FILE while it is in use, with FILE.manifest.json.",
        discussion: """
            Uses SQLite's online backup API: the copy is one consistent state, taken while imports and the server \
            go on. The manifest records the time (UTC), the schema version, the audit head and entry count, the row \
            counts of the main tables and the file's SHA-256; `drugcheck restore` checks the backup against it. \
            A PostgreSQL database (--db postgres://…) is read in one snapshot into a backup file of the same form, \
            every table compared with what was read; it restores on either backend.
            Example: drugcheck backup /backups/drugcheck-2026-09-07.sqlite
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The backup file to write.")
    var file: String

    @Flag(name: .long, help: "Replace FILE if it exists.")
    var force = false

    func run() throws {
        let manifest = if let location = try database.postgres() {
            try DatabaseBackup.write(from: PostgresMigrator.connectToCurrentSchema(location), to: file, replacing: force)
        } else {
            try DatabaseBackup.write(database.openExisting(), to: file, replacing: force)
        }
        print("backup \(file): schema \(manifest.schemaVersion), \(manifest.auditEntries) audit entries, head \(manifest.auditHead?.description ?? "none")")
        print("manifest \(BackupManifest.path(forBackup: file))")
    }
}

struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the database with a checked backup.",
        discussion: """
            Checks FILE against FILE.manifest.json (SHA-256, audit head), runs PRAGMA integrity_check and verifies the \
            audit log's chain and batch digests, then puts the backup in place of the database by renaming a checked \
            copy over it. A damaged backup is refused and the database left as it was. Stop the server, watchers and \
            imports first: a database open in another process is refused. On PostgreSQL (--db postgres://…) the checked \
            backup is copied into an empty database, as `drugcheck db copy` does; a database that holds data is not replaced.
            Example: drugcheck restore /backups/drugcheck-2026-09-07.sqlite --db drugcheck.sqlite --force
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The backup file.")
    var file: String

    @Flag(name: .long, help: "Replace the database if it exists.")
    var force = false

    func validate() throws {
        if force, PostgresLocation.isURL(database.path) {
            throw ValidationError("--force: a PostgreSQL database is not replaced; create a new, empty one (createdb NAME) and restore into it")
        }
    }

    func run() throws {
        if let location = try database.postgres() {
            let (manifest, copied) = try DatabaseRestore.withCheckedCopy(of: file) { staging in
                try DatabaseCopy.run(from: DrugCheckDatabase(path: staging), to: PostgresSession.connect(to: location))
            }
            print("restored \(location) from \(file) (taken \(manifest.createdAt)): \(copied.tables.reduce(0) { $0 + $1.rows }) rows, "
                  + "\(manifest.auditEntries) audit entries, head \(copied.auditHead?.description ?? "none")")
            return
        }
        let manifest = try DatabaseRestore.restore(backup: file, to: database.path, replacing: force)
        print("restored \(database.path) from \(file) (taken \(manifest.createdAt)): \(manifest.auditEntries) audit entries, head \(manifest.auditHead?.description ?? "none")")
    }
}
