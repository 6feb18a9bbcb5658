import Foundation

/// Real reference spectra from `../shared/refdata/spectra` (see its MANIFEST-spectra.md).
public enum RefDataSpectra {
    public static let root = PackagePaths.root.appendingPathComponent("../shared/refdata/spectra").standardizedFileURL

    /// Refdata that is not there: the test fails (never skips) and says where it looked.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    /// The file or folder at `path` below ``root``; throws ``Missing`` when it is not there.
    public static func url(_ path: String) throws -> URL {
        let url = root.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Missing(description: "refdata missing: \(url.path)") }
        return url
    }
}
