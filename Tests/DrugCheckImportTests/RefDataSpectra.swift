import DrugCheckTestSupport
import Foundation
import Testing

/// Real reference spectra from `../shared/refdata/spectra` (see its MANIFEST-spectra.md).
enum RefDataSpectra {
    static let root = PackagePaths.root.appendingPathComponent("../shared/refdata/spectra").standardizedFileURL

    /// Fails (never skips) when refdata is missing.
    static func url(_ path: String) throws -> URL {
        let url = root.appendingPathComponent(path)
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        return url
    }
}
