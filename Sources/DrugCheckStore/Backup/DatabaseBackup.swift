import Crypto
import Foundation
import GRDB

/// Online backup of a DrugCheck database with SQLite's backup API: the copy is one consistent
/// snapshot (a read transaction of the WAL), taken while imports and the server go on writing.
/// The backup is a single self-contained file (rollback journal mode) with its manifest beside it.
///
/// ```swift
/// let manifest = try DatabaseBackup.write(database, to: "/backups/2026-09-07.sqlite")
/// print(manifest.auditHead?.description ?? "", manifest.counts)
/// ```
public enum DatabaseBackup {
    /// Copies the database to `path` (through a temporary file beside it, renamed when complete)
    /// and writes `path.manifest.json`. Refuses to replace an existing file unless `replacing`.
    @discardableResult
    public static func write(_ database: DrugCheckDatabase, to path: String, replacing: Bool = false) throws -> BackupManifest {
        try write(to: path, replacing: replacing) { partial in
            let destination = try DatabaseQueue(path: partial)
            try database.pool.backup(to: destination)
            try destination.close()
        }
    }

    /// A backup made by `fill` in a partial file beside `path` (named to it), then put in
    /// rollback-journal mode, described and hashed, renamed into place, its manifest written.
    static func write(to path: String, replacing: Bool, _ fill: (String) throws -> Void) throws -> BackupManifest {
        if !replacing, FileManager.default.fileExists(atPath: path) { throw BackupError.exists(path: path) }
        let partial = path + ".partial-\(UUID().uuidString)"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) } }
        try fill(partial)
        var manifest: BackupManifest
        do {
            let destination = try DatabaseQueue(path: partial)
            try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            manifest = try destination.read { db in try BackupManifest.describe(db, fileSHA256: "") }
            try destination.close()
        }
        manifest.fileSHA256 = try fileSHA256(partial)
        if replacing { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        try manifest.write(forBackup: path)
        return manifest
    }

    /// The SHA-256 of a file as a manifest records it (64 hex digits).
    public static func fileSHA256(_ path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var sha = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { sha.update(data: chunk) }
        return HexDigest.string(sha.finalize())
    }
}
