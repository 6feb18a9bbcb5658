import DrugCheckStore
import Foundation
import Testing

/// A fresh database file in a temporary folder, removed when the value is released.
final class TestDatabase {
    let directory: URL
    let database: DrugCheckDatabase

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-import-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try DrugCheckDatabase(path: directory.appendingPathComponent("test.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes text to a file in the test folder.
    func file(_ name: String, _ text: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}

/// Real reference spectra from `../shared/refdata/spectra` beside the package (see its MANIFEST-spectra.md).
enum RefDataSpectra {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/refdata/spectra").standardizedFileURL

    /// Fails (never skips) when refdata is missing.
    static func url(_ path: String) throws -> URL {
        let url = root.appendingPathComponent(path)
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        return url
    }
}
