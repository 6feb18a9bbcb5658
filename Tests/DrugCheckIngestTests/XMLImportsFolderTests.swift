import DrugCheckIngest
import Foundation
import XCTest

/// Every XML example in Imports/ (the README demo imports the folder) reads cleanly with no
/// options, through the reader its content is detected as.
final class XMLImportsFolderTests: XCTestCase {
    func testXMLExamplesImportWithoutOptions() throws {
        let folder = XMLTestPaths.packageRoot.appendingPathComponent("Imports")
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix("broken-") }
        var formats: Set<String> = []
        for file in files {
            let head = try FileHandle(forReadingFrom: file).read(upToCount: FormatDetector.sniffLength) ?? Data()
            let format = FormatDetector.detect(head: head)
            let reader: (any SubmissionReader)? = switch format {
            case .mzML: MzMLReader()
            case .animl: AnIMLReader()
            case .resultsXML: ResultsXMLReader()
            default: nil
            }
            guard let reader else { continue }
            let submission = try reader.read(file: file, options: ImportOptions())
            XCTAssertFalse(submission.samples.isEmpty, file.lastPathComponent)
            formats.insert("\(format)")
        }
        XCTAssertEqual(formats.count, 3, "one example of each XML format: \(formats)")
    }
}
