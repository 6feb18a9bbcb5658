import Foundation
import GRDB

/// What `drugcheck backup` writes beside a backup (`FILE.manifest.json`): when it was taken, the
/// schema version, the audit log's head and entry count, the row counts of the main tables and
/// the file's SHA-256. `drugcheck restore` checks the backup against it.
///
/// ```swift
/// let manifest = try BackupManifest.read(forBackup: "nightly.sqlite")
/// print(manifest.auditHead?.description ?? "empty log", manifest.counts["finding"] ?? 0)
/// ```
public struct BackupManifest: Codable, Sendable, Equatable {
    /// UTC, ISO 8601.
    public var createdAt: String
    /// The last schema migration applied in the backup.
    public var schemaVersion: String
    public var auditHead: AuditHead?
    public var auditEntries: Int
    public var counts: [String: Int]
    /// SHA-256 of the backup file as written.
    public var fileSHA256: String

    enum CodingKeys: String, CodingKey {
        case counts
        case createdAt = "created_at"
        case schemaVersion = "schema_version"
        case auditHead = "audit_head"
        case auditEntries = "audit_entries"
        case fileSHA256 = "file_sha256"
    }

    /// The tables counted.
    static let tables = ["lab", "import_batch", "sample", "analysis", "finding", "spectrum", "sample_classification",
                         "api_user", "api_token", "bulletin", "subscriber", "audit_entry"]

    /// The manifest's path for a backup file.
    public static func path(forBackup backup: String) -> String { backup + ".manifest.json" }

    public static func read(forBackup backup: String) throws -> BackupManifest {
        let path = path(forBackup: backup)
        guard let data = FileManager.default.contents(atPath: path) else { throw BackupError.noManifest(backup: backup, manifest: path) }
        do { return try JSONDecoder().decode(BackupManifest.self, from: data) } catch {
            throw BackupError.unreadableManifest(backup: backup, manifest: path)
        }
    }

    func write(forBackup backup: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: Self.path(forBackup: backup)), options: .atomic)
    }

    /// Schema version, audit head and counts of a database as `db` sees it.
    static func describe(_ db: Database, fileSHA256: String) throws -> BackupManifest {
        var counts: [String: Int] = [:]
        for table in tables where try db.tableExists(table) {
            counts[table] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
        }
        return BackupManifest(createdAt: AuditLogEntry.timestamp(Date()),
                              schemaVersion: try DrugCheckDatabase.migrator.appliedMigrations(db).last ?? "none",
                              auditHead: try AuditLog.head(in: db), auditEntries: counts["audit_entry"] ?? 0, counts: counts,
                              fileSHA256: fileSHA256)
    }
}
