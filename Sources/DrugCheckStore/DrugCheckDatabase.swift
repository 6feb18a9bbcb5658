import Foundation
import GRDB

/// The DrugCheck database: one SQLite file in WAL mode, opened as a GRDB `DatabasePool` so that
/// readers (reports, the HTTP server) never wait for an import.
///
/// ```swift
/// let db = try DrugCheckDatabase(path: "drugcheck.sqlite")
/// let result = try ImportPipeline.standard(database: db, observers: []).importFile(at: url, options: .init())
/// ```
///
/// The pool itself stays inside the store; a stage that owns tables of its own (bulletins,
/// access) reaches them through ``writer``, GRDB's `DatabaseWriter` protocol.
public final class DrugCheckDatabase: Sendable {
    let pool: DatabasePool
    /// For stages that own tables (their records and migrations) in the same database.
    public var writer: any DatabaseWriter { pool }
    public let path: String
    /// The file opened: writes are refused once `path` names another file or none (``DatabaseTrouble``).
    let identity: FileIdentity?

    /// Resolution order of the database path: `--db`, then `DRUGCHECK_DB`, then `./drugcheck.sqlite`.
    public static func resolvePath(_ explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        explicit ?? environment["DRUGCHECK_DB"] ?? "drugcheck.sqlite"
    }

    public init(path: String) throws {
        var config = Configuration()
        config.foreignKeysEnabled = true
        // Wait for a concurrent writer (another CLI process, the server) instead of failing at once.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.path = path
        do {
            pool = try Self.openMigrated(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw DatabaseTrouble(error, path: path) ?? error
        }
        identity = Self.fileIdentity(path)
    }

    /// Opens the pool and brings the schema up to date. Two processes opening a new database at
    /// once race on switching it to WAL and on the first migrations: the loser sees "locked" or
    /// a table or column that now exists (or the migration already recorded), waits a moment and
    /// tries again, then finds the schema current.
    private static func openMigrated(path: String, configuration: Configuration) throws -> DatabasePool {
        var attempt = 0
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                do {
                    try migrator.migrate(pool)
                } catch let error as DatabaseError where DatabaseTrouble(error, path: path) == nil && !(attempt < 40 && isRace(error)) {
                    let applied = (try? pool.read { try migrator.appliedIdentifiers($0) }) ?? []
                    let step = SchemaMigrations.all.first { !applied.contains($0.name) }?.name ?? "?"
                    throw DatabaseTrouble(.schemaConflict, path: path, detail: "schema step '\(step)': \(error.message ?? "\(error.resultCode)")")
                }
                return pool
            } catch let error as DatabaseError where attempt < 40 && isRace(error) {
                attempt += 1
                Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.25))
            }
        }
    }

    /// What another process opening the same new database at the same moment makes us see.
    private static func isRace(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
            || (error.resultCode == .SQLITE_ERROR && ["already exists", "duplicate column name"].contains { (error.message ?? "").contains($0) })
            // A migration that can run twice (triggers rebuilt) got in first elsewhere: its record is what collides.
            || (error.resultCode == .SQLITE_CONSTRAINT && (error.message ?? "").contains("grdb_migrations"))
    }

    /// Folder beside the database where rejected files are kept with their error report.
    public var quarantineDirectory: URL { URL(fileURLWithPath: path + ".quarantine", isDirectory: true) }

    /// Every schema change, in order. Each migration is a named, append-only step: never edit one
    /// that has shipped; add a new one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.name, migrate: migration.apply)
        }
        return migrator
    }
}

/// One named schema step.
public struct SchemaMigration: Sendable {
    public let name: String
    public let apply: @Sendable (Database) throws -> Void

    public init(_ name: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.apply = apply
    }
}
