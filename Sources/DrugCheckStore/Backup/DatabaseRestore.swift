import Foundation
import GRDB

/// Replaces a DrugCheck database with a backup, after checking the backup: its bytes against the
/// manifest's SHA-256, `PRAGMA integrity_check`, the audit log's chain and batch digests, and the
/// audit head against the manifest's. The checks run on a copy beside the target, which is then
/// renamed over it (an atomic replacement of the main file; a leftover `-wal`/`-shm` of the old
/// database is removed first so it cannot be applied to the new one).
///
/// A target still open in another process is refused: SQLite keeps a shared lock on the WAL
/// index (`TARGET-shm`) of every open connection, and the restore asks for that lock. A
/// connection in the restoring process itself cannot be seen this way: close it first.
///
/// ```swift
/// let manifest = try DatabaseRestore.restore(backup: "/backups/2026-09-07.sqlite", to: "drugcheck.sqlite", replacing: true)
/// ```
public enum DatabaseRestore {
    @discardableResult
    public static func restore(backup: String, to target: String, replacing: Bool = false) throws -> BackupManifest {
        guard FileManager.default.fileExists(atPath: backup) else { throw BackupError.noBackup(path: backup) }
        let manifest = try BackupManifest.read(forBackup: backup)
        if FileManager.default.fileExists(atPath: target) {
            guard replacing else { throw BackupError.targetExists(path: target) }
            if try SQLiteFileLock.isHeldElsewhere(database: target) { throw BackupError.targetInUse(path: target) }
        }
        let staging = target + ".restore-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        try FileManager.default.copyItem(atPath: backup, toPath: staging)
        try check(staging, named: backup, against: manifest)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        guard rename(staging, target) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        return manifest
    }

    /// Checks a backup as ``restore(backup:to:replacing:)`` does, on a copy in the temporary
    /// folder, and hands the checked copy's path to `body`: a restore into another backend
    /// (PostgreSQL). The copy is removed afterwards.
    ///
    /// ```swift
    /// let (manifest, copied) = try DatabaseRestore.withCheckedCopy(of: backup) { try DatabaseCopy.run(from: DrugCheckDatabase(path: $0), to: session) }
    /// ```
    public static func withCheckedCopy<T>(of backup: String, _ body: (String) throws -> T) throws -> (manifest: BackupManifest, result: T) {
        guard FileManager.default.fileExists(atPath: backup) else { throw BackupError.noBackup(path: backup) }
        let manifest = try BackupManifest.read(forBackup: backup)
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-restore-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: staging + suffix) } }
        try FileManager.default.copyItem(atPath: backup, toPath: staging)
        try check(staging, named: backup, against: manifest)
        return (manifest, try body(staging))
    }

    /// Checks a copy of a backup; errors name the backup file.
    static func check(_ path: String, named backup: String, against manifest: BackupManifest) throws {
        if try DatabaseBackup.fileSHA256(path) != manifest.fileSHA256 { throw BackupError.changedSinceBackup(path: backup) }
        let queue: DatabaseQueue
        do {
            var configuration = Configuration()
            configuration.readonly = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            _ = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
        } catch { throw BackupError.notADatabase(path: backup) }
        defer { try? queue.close() }
        let problems: [String]
        do { problems = try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } } catch {
            throw BackupError.damaged(path: backup, problems: 1)
        }
        guard problems == ["ok"] else { throw BackupError.damaged(path: backup, problems: problems.count) }
        try queue.read { db in
            let known = Set(SchemaMigrations.all.map(\.name))
            if let unknown = try DrugCheckDatabase.migrator.appliedIdentifiers(db).first(where: { !known.contains($0) }) {
                throw BackupError.newerSchema(path: backup, migration: unknown)
            }
            let report = try AuditVerifier.verify(db)
            if let problem = report.chainProblem { throw BackupError.auditBroken(path: backup, problem: problem.description) }
            if let problem = report.batchProblems.first { throw BackupError.auditBroken(path: backup, problem: problem.description) }
            if report.head != manifest.auditHead {
                throw BackupError.headMismatch(path: backup, manifest: manifest.auditHead?.description ?? "none",
                                               backup: report.head?.description ?? "none")
            }
        }
    }
}
