import DrugCheckIngest
import Foundation
import XCTest

/// Paths shared by the XML, mzML, AnIML and hostile-input tests.
enum XMLTestPaths {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let refdata = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/refdata")
    static let fixtures = packageRoot.appendingPathComponent("Tests/DrugCheckIngestTests/Fixtures/mzml")

    /// A refdata file; fails the test (never skips) when refdata is missing.
    static func refdataFile(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let url = refdata.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            XCTFail("refdata file missing: \(url.path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return url
    }

    static func json(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// A fresh temporary directory, removed by the returned closure.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// The rejection a throwing call ends with; fails when it succeeds or throws something else.
func rejection<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> ImportRejection? {
    do {
        _ = try body()
        XCTFail("expected an ImportRejection, the call succeeded", file: file, line: line)
    } catch let r as ImportRejection {
        return r
    } catch {
        XCTFail("expected an ImportRejection, got \(error)", file: file, line: line)
    }
    return nil
}
