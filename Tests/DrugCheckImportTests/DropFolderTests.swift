import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

@Suite("The drop folder")
struct DropFolderTests {
    /// A drop folder in the test's temporary folder holding copies of the given example exports.
    static func inbox(_ t: TestDatabase, _ files: [String: URL]) throws -> URL {
        let root = t.directory.appendingPathComponent("inbox")
        for (relative, source) in files {
            let target = root.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: target)
        }
        return root
    }

    static func files(under folder: URL) -> [String] {
        let all = FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []
        return all.filter { !$0.hasSuffix("/") && !FileManager.default.isDirectory(folder.appendingPathComponent($0)) }.sorted()
    }

    @Test func completeFilesAreImportedAndMovedWithTheirErrorsBeside() throws {
        let t = try TestDatabase()
        let root = try Self.inbox(t, [
            "be-dca-drugchecking.csv": PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"),
            "BE-NICC/seizures.csv": PackagePaths.imports.appendingPathComponent("be-nicc-seizures.csv"),
            "BE-NICC/broken.csv": PackagePaths.imports.appendingPathComponent("broken-example-findings.csv"),
        ])
        var drop = DropFolder(root: root, pipeline: .standard(database: t.database, observers: []), labCode: nil)
        drop.settle = 0
        let handled = try drop.watch(.once).handled
        #expect(handled.map(\.result.outcome) == [.rejected, .imported, .imported])
        #expect(Self.files(under: root) == ["processed/BE-NICC/seizures.csv", "processed/be-dca-drugchecking.csv",
                                            "rejected/BE-NICC/broken.csv", "rejected/BE-NICC/broken.csv.errors.txt"])
        // The subfolder names the lab: the NICC file's samples are stored as BE-NICC's.
        let nicc = try t.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sample WHERE lab_code = 'BE-NICC'") }
        #expect(nicc == handled[1].result.samples)
        let report = try String(contentsOf: root.appendingPathComponent("rejected/BE-NICC/broken.csv.errors.txt"), encoding: .utf8)
        let lines = report.split(separator: "\n")
        #expect(lines.count == handled[0].result.errors.count && !lines.isEmpty)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /BE-NICC\/broken\.csv:\d+:\d+: .+/) != nil }, "file:line:column: message")

        // The same name dropped again (a corrected export) never overwrites the earlier file.
        try FileManager.default.copyItem(at: PackagePaths.imports.appendingPathComponent("be-nicc-seizures.csv"),
                                         to: root.appendingPathComponent("BE-NICC/seizures.csv"))
        let again = try drop.watch(.once).handled
        #expect(again.map(\.result.outcome) == [.alreadyImported])
        #expect(again[0].movedTo.lastPathComponent == "seizures (2).csv")
    }

    @Test func aFileStillBeingWrittenWaitsForItsSizeToSettleOrItsMarker() throws {
        let t = try TestDatabase()
        let root = try Self.inbox(t, ["run.csv": PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv")])
        var drop = DropFolder(root: root, pipeline: .standard(database: t.database, observers: []), labCode: nil)
        drop.settle = 3600
        #expect(try drop.processReady().isEmpty, "seen for the first time: not yet complete")
        #expect(try drop.arrivals().map(\.isComplete) == [false])
        try Data().write(to: root.appendingPathComponent("run.csv.done"))
        let handled = try drop.processReady()
        #expect(handled.map(\.result.outcome) == [.imported])
        #expect(Self.files(under: root) == ["processed/run.csv"], "the marker goes with the file")
    }

    @Test func aFileImportedButNotMovedBeforeACrashIsMovedNotImportedTwice() throws {
        let t = try TestDatabase()
        let root = try Self.inbox(t, ["BE-DCA/run.csv": PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv")])
        let pipeline = ImportPipeline.standard(database: t.database, observers: [])
        // The crash: imported and committed, never moved.
        let first = try pipeline.importFile(at: root.appendingPathComponent("BE-DCA/run.csv"), options: .init(labCode: "BE-DCA"))
        #expect(first.outcome == .imported)
        let before = try t.counts()
        var drop = DropFolder(root: root, pipeline: pipeline, labCode: nil)
        drop.settle = 0
        let handled = try drop.watch(.once).handled
        #expect(handled.map(\.result.outcome) == [.alreadyImported])
        #expect(try t.counts() == before)
        #expect(Self.files(under: root) == ["processed/BE-DCA/run.csv"])
    }
}

extension FileManager {
    func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
