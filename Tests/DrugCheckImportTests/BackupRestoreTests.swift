import DrugCheckImport
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("Online backup and checked restore")
struct BackupRestoreTests {
    static let header = "lab,sample_id,sample_type,source,sold_as,collected_on,region,technique,substance,detected,concentration,unit\n"

    func largeCSV(_ t: TestDatabase, rows: Int) throws -> URL {
        var text = Self.header
        for i in 0..<rows { text += "BE-DCA,G\(i),powder,drug_checking,cocaine,2026-11-17,BE100,GC-MS,Cocaine HCl,true,\(i % 90),%w/w\n" }
        return try t.file("large.csv", text)
    }

    func counts(_ path: String) throws -> [String: Int] {
        try DatabaseQueue(path: path).read { db in
            try Dictionary(uniqueKeysWithValues: ["sample", "analysis", "finding", "audit_entry"].map { ($0, try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? 0) })
        }
    }

    @Test func backupWhileImportingIsOneCommittedState() throws {
        let t = try TestDatabase()
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        _ = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init())
        let before = try counts(t.database.path)
        let large = try largeCSV(t, rows: 40_000)
        let done = DispatchSemaphore(value: 0)
        Thread {
            _ = try? pipeline.importFile(at: large, options: .init())
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.5)
        let backup = t.directory.appendingPathComponent("during.sqlite").path
        let manifest = try DatabaseBackup.write(t.database, to: backup)
        let stillImporting = done.wait(timeout: .now()) == .timedOut
        #expect(stillImporting, "the import was still writing while the backup was taken")
        if stillImporting { done.wait() }
        let after = try counts(t.database.path)
        #expect(after["sample"]! > before["sample"]!)

        let restored = t.directory.appendingPathComponent("restored.sqlite").path
        try DatabaseRestore.restore(backup: backup, to: restored)
        let got = try counts(restored)
        #expect(got == before || got == after, "a backup holds a committed state, never part of a batch")
        #expect(manifest.counts["finding"] == got["finding"])
        #expect(try AuditLog(database: DrugCheckDatabase(path: restored)).verify().isIntact)
    }

    /// A database with one real import and its backup `b.sqlite`.
    func backedUp() throws -> (TestDatabase, String) {
        let t = try TestDatabase()
        _ = try ImportPipeline.standard(database: t.database, observers: [])
            .importFile(at: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), options: .init())
        let backup = t.directory.appendingPathComponent("b.sqlite").path
        try DatabaseBackup.write(t.database, to: backup)
        return (t, backup)
    }

    /// Rewrites the manifest's SHA-256 to the file's bytes, as a tamperer would.
    func resign(_ backup: String) throws {
        var manifest = try BackupManifest.read(forBackup: backup)
        manifest.fileSHA256 = try DatabaseBackup.fileSHA256(backup)
        try JSONEncoder().encode(manifest).write(to: URL(fileURLWithPath: BackupManifest.path(forBackup: backup)))
    }

    @Test func damagedBackupIsRefusedAndTheTargetKept() throws {
        let (t, backup) = try backedUp()
        #expect(throws: BackupError.exists(path: backup)) { try DatabaseBackup.write(t.database, to: backup) }
        let target = t.directory.appendingPathComponent("target.sqlite").path
        try DatabaseRestore.restore(backup: backup, to: target)
        #expect(throws: BackupError.targetExists(path: target)) { try DatabaseRestore.restore(backup: backup, to: target) }
        let original = try Data(contentsOf: URL(fileURLWithPath: target))

        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: backup))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        #expect(throws: BackupError.changedSinceBackup(path: backup)) { try DatabaseRestore.restore(backup: backup, to: target, replacing: true) }

        // Damage the manifest records as well: the integrity check finds it.
        try resign(backup)
        #expect {
            try DatabaseRestore.restore(backup: backup, to: target, replacing: true)
        } throws: { error in
            if case .damaged(backup, _)? = error as? BackupError { return true }
            return error as? BackupError == .notADatabase(path: backup)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == original, "a refused restore leaves the database as it was")
    }

    @Test func backupWithAlteredResultsIsRefused() throws {
        let (t, backup) = try backedUp()
        try DatabaseQueue(path: backup).write { try $0.execute(sql: "UPDATE finding SET concentration = 1 WHERE id = 1") }
        try resign(backup)
        let target = t.directory.appendingPathComponent("target.sqlite").path
        #expect(throws: BackupError.auditBroken(path: backup, problem: BatchProblem(batchID: 1, entrySequence: 1).description)) {
            try DatabaseRestore.restore(backup: backup, to: target)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
