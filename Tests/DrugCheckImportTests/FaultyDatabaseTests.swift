import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// A full disk, a read-only database, a database file deleted under a running process and a
/// damaged file: each is said in one plain line naming the file and what to do, and nothing is
/// half-written. The disk is made "full" with SQLite's own limit (`max_page_count`) and the file
/// read-only with `query_only` (tests run as root, whom file permissions do not stop).
@Suite("Faulty database files")
struct FaultyDatabaseTests {
    static let export = PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv")

    static func importExport(_ t: TestDatabase) throws -> ImportResult {
        try ImportPipeline.standard(database: t.database, observers: []).importFile(at: export, options: .init())
    }

    static func trouble(_ body: () throws -> Void) -> DatabaseTrouble? {
        do { try body() } catch { return error as? DatabaseTrouble }
        return nil
    }

    /// An index made by hand under the name a schema step creates (as someone trying the step in
    /// the `sqlite3` shell would leave it): the step is named in plain words, nothing raw.
    @Test func aSchemaChangedByHandIsSaidPlainlyWithItsStep() throws {
        let t = try TestDatabase()
        try t.database.writer.writeWithoutTransaction { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'sample-lab-order'")
        }
        let path = t.database.path
        let trouble = try #require(Self.trouble { _ = try DrugCheckDatabase(path: path) })
        #expect(trouble.kind == .schemaConflict)
        #expect(trouble.description.contains(path) && trouble.description.contains("schema step 'sample-lab-order'")
                && trouble.description.contains("sample_lab_order already exists"), "\(trouble)")
        #expect(!trouble.description.contains("SQLite error"))
        // Once what was made by hand is gone, the step applies and the database opens.
        try t.database.writer.writeWithoutTransaction { try $0.execute(sql: "DROP INDEX sample_lab_order") }
        #expect(try DrugCheckDatabase(path: path).writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM grdb_migrations") } == DrugCheckDatabase.migrator.migrations.count)
    }

    @Test func aFullDiskWritesNothingAndSaysSo() throws {
        let t = try TestDatabase()
        let before = try t.counts()
        let pages = try t.database.writer.read { try Int.fetchOne($0, sql: "PRAGMA page_count") } ?? 0
        try t.database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = \(pages + 2)") }
        let trouble = try #require(Self.trouble { _ = try Self.importExport(t) })
        #expect(trouble.kind == .full)
        #expect(trouble.description.contains(t.database.path) && trouble.description.contains("nothing was written"))
        #expect(try t.counts() == before)
        #expect(try t.database.writer.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        // Space again: the same file imports whole.
        try t.database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = 1073741823") }
        #expect(try Self.importExport(t).outcome == .imported)
    }

    @Test func aReadOnlyDatabaseWritesNothingAndSaysSo() throws {
        let t = try TestDatabase()
        try t.database.writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = 1") }
        let trouble = try #require(Self.trouble { _ = try Self.importExport(t) })
        #expect(trouble.kind == .readOnly)
        #expect(trouble.description.contains("cannot be written"))
    }

    @Test func aDatabaseFileDeletedUnderARunningProcessIsNotWrittenTo() throws {
        let t = try TestDatabase()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: t.database.path + suffix) }
        let trouble = try #require(Self.trouble { _ = try Self.importExport(t) })
        #expect(trouble.kind == .missing)
        #expect(trouble.description.contains("deleted or moved"))
        #expect(!FileManager.default.fileExists(atPath: t.database.path), "nothing recreated the file behind the user's back")
    }

    @Test func aDamagedFileIsNamedWithTheWayToRestoreIt() throws {
        let t = try TestDatabase()
        let path = t.directory.appendingPathComponent("damaged.sqlite").path
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: path))
        let trouble = try #require(Self.trouble { _ = try DrugCheckDatabase(path: path) })
        #expect(trouble.kind == .damaged)
        #expect(trouble.description.contains("drugcheck restore"))

        // The command line says the same in one line, no raw SQLite message.
        let process = Process()
        process.executableURL = try DropFolderCrashTests.executable
        process.arguments = ["import", Self.export.path, "--db", path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(text.contains("is damaged or not a DrugCheck database") && text.contains(path))
        #expect(!text.contains("SQLite error"), "\(text)")
    }
}
