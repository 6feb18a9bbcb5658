import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// `drugcheck watch --once` killed with SIGKILL at random moments, again and again, then run to
/// the end: every file imported exactly once, none lost, the database intact.
@Suite("The drop folder survives kill -9")
struct DropFolderCrashTests {
    /// Real rows of `Imports/be-dca-drugchecking.csv`, repeated under new sample ids up to `rows` rows.
    static func export(rows: Int, tag: String) throws -> String {
        let lines = try String(contentsOf: PackagePaths.imports.appendingPathComponent("be-dca-drugchecking.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var out = [lines[0]]
        var copy = 0
        while out.count <= rows {
            for line in lines.dropFirst() where out.count <= rows {
                var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                fields[1] += "-\(tag)-\(copy)"
                out.append(fields.joined(separator: ","))
            }
            copy += 1
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The `drugcheck` executable `swift build --build-tests` puts beside the test bundle.
    static var executable: URL {
        get throws {
            let beside = Bundle.main.bundleURL.appendingPathComponent("drugcheck")
            let inBuild = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("drugcheck")
            return try #require([beside, inBuild].first { FileManager.default.isExecutableFile(atPath: $0.path) },
                                "drugcheck is not built beside the tests")
        }
    }

    @Test func killedAtAnyMomentItNeverImportsTwiceOrLosesAFile() throws {
        let t = try TestDatabase()
        let root = t.directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("BE-DCA"), withIntermediateDirectories: true)
        var expectedFindings = 0
        for n in 0..<5 {
            let text = try Self.export(rows: 4_000, tag: "k\(n)")
            expectedFindings += text.split(separator: "\n").dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false)[11] != "" }.count
            try Data(text.utf8).write(to: root.appendingPathComponent("BE-DCA/run-\(n).csv"))
        }
        let arguments = ["watch", root.path, "--once", "--settle", "0", "--no-bulletin-scan", "--db", t.database.path]
        // A debug build imports one file in about a second: the kills land before, during and
        // between imports, and between an import and the move of its file.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let process = Process()
            process.executableURL = try Self.executable
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...3, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let last = Process()
        last.executableURL = try Self.executable
        last.arguments = arguments
        last.standardOutput = FileHandle.nullDevice
        try last.run()
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)

        let left = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("BE-DCA").path)
        #expect(left.isEmpty, "every file was moved")
        let processed = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("processed/BE-DCA").path).sorted()
        #expect(processed == (0..<5).map { "run-\($0).csv" }, "each file once, none lost")
        let (integrity, batches, findings) = try t.database.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM import_batch WHERE outcome = 'imported'"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finding"))
        }
        #expect(integrity == "ok")
        #expect(batches == 5, "each file imported exactly once")
        #expect(findings == expectedFindings)
    }
}
