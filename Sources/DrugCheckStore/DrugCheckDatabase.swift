import Foundation
import GRDB

/// The DrugCheck database: one SQLite file in WAL mode, opened as a GRDB `DatabasePool` so that
/// readers (reports, the HTTP server) never wait for an import.
///
/// ```swift
/// let db = try DrugCheckDatabase(path: "drugcheck.sqlite")
/// let batch = try FileImporter(database: db).importFile(at: url, options: .init())
/// ```
public final class DrugCheckDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

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
        pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
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
