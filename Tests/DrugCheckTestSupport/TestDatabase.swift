import DrugCheckStore
import Foundation
import GRDB

/// A fresh database file in a temporary folder, removed when the value is released; shared by
/// the store and import tests.
public final class TestDatabase {
    public let directory: URL
    public let database: DrugCheckDatabase

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try DrugCheckDatabase(path: directory.appendingPathComponent("test.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes text to a file in the test folder.
    public func file(_ name: String, _ text: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The rows of report aggregate tables as text, sorted, without rows whose counts are all zero
    /// (the row triggers leave those behind; a batch's recompute does not write them).
    public func snapshot(_ tables: [String]) throws -> [String: [String]] {
        let counted = ["report_week_stratum": "tested", "report_week_provisional": "tested", "report_substance_week": "findings",
                       "report_week_substance": "samples", "report_week_concentration": "findings"]
        return try database.writer.read { db in
            var result: [String: [String]] = [:]
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE \(counted[table] ?? "1") <> 0")
                result[table] = rows.map { row in row.columnNames.map { "\($0)=\(row[$0] as DatabaseValue)" }.joined(separator: ",") }.sorted()
            }
            return result
        }
    }

    /// Row counts of the data tables: equal before and after a rejected import.
    public func counts() throws -> [String: Int] {
        try database.writer.read { db in
            var result: [String: Int] = [:]
            for table in ["lab", "sample", "analysis", "finding", "spectrum", "sample_classification"] {
                result[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
            }
            return result
        }
    }
}


/// The package folder and its example exports, for tests reading real files in place.
public enum PackagePaths {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static let imports = root.appendingPathComponent("Imports")
}
