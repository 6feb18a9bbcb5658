import DrugCheckIngest
import Foundation
import XCTest

/// Inputs that crashed a reader (found while writing the libFuzzer targets in `Fuzz/`), kept in
/// Fixtures/fuzz: each must now end in a clear ImportRejection.
final class FuzzRegressionTests: XCTestCase {
    static let dir = XMLTestPaths.packageRoot.appendingPathComponent("Tests/DrugCheckIngestTests/Fixtures/fuzz")

    func assertRejected(_ name: String, by reader: any SubmissionReader, saying expected: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        let url = Self.dir.appendingPathComponent(name)
        let options = ImportOptions(labCode: "XX-FUZZ", sampleID: "FUZZ-1")
        let r = rejection({ try reader.read(file: url, options: options) }, file: file, line: line)
        XCTAssertTrue(r?.description.contains(expected) ?? false, "\(r?.description ?? "no rejection")", file: file, line: line)
    }

    /// MS-Numpress linear: 100,000 maximal differences (4 KiB zlib-compressed) overflowed Int64
    /// in the linear prediction and trapped.
    func testNumpressLinearOverflowIsRejected() {
        assertRejected("mzml-numpress-linear-overflow.mzML", by: MzMLReader(), saying: "overflows a 64-bit integer")
    }

    /// AnIML AutoIncrementedValueSet: endIndex − startIndex overflowed Int and trapped.
    func testAutoIncrementIndexOverflowIsRejected() {
        assertRejected("animl-autoincrement-index-overflow.animl", by: AnIMLReader(), saying: "startIndex -9223372036854775808 to endIndex 0")
    }
}
