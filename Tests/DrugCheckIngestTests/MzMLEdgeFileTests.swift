import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The real-world defects of refdata/mzml/edge (see refdata MANIFEST.md): each one imports or is
/// rejected with a message saying why, and none crashes.
final class MzMLEdgeFileTests: XCTestCase {
    let options = ImportOptions(labCode: "BE-NICC")

    func read(_ name: String) throws -> Submission {
        try MzMLReader().read(file: try XMLTestPaths.refdataFile("mzml/edge/\(name)"), options: options)
    }

    func assertRejected(_ name: String, saying words: [String], file: StaticString = #filePath, line: UInt = #line) {
        let r = rejection({ try read(name) }, file: file, line: line)
        let text = r?.description ?? ""
        for w in words { XCTAssertTrue(text.contains(w), "\(name): \"\(text)\" lacks \"\(w)\"", file: file, line: line) }
        XCTAssertTrue(text.contains(name), "the message names the file: \(text)", file: file, line: line)
    }

    func testPreReleaseVersionIsRejected() {
        assertRejected("hupo_1min.mzML0.99.1.mzML", saying: ["mzML_0.99.1", "not supported"])
    }

    func testCorruptNumpressIsRejected() {
        assertRejected("openms_FileFilter_39_input_corrupt.numpress.mzML", saying: ["spectrum", "MS-Numpress pic"])
    }

    func testBrokenIndexedFileIsRejectedWithPosition() throws {
        let r = rejection { try read("openms_IndexedmzMLFile_2_broken.mzML") }
        XCTAssertGreaterThan(r?.problems.first?.line ?? 0, 1, r?.description ?? "")
    }

    func testEmptyFileIsRejected() {
        assertRejected("openms_degenerate_empty.mzML", saying: ["empty"])
    }

    func testMinimalFileImportsWithoutSpectra() throws {
        let s = try read("openms_MzMLFile_2_minimal.mzML")
        XCTAssertEqual(s.samples.count, 1)
        XCTAssertEqual(s.spectra.count, 0)
    }

    func testSemanticallyInvalidButWellFormedFileImports() throws {
        XCTAssertEqual(try read("openms_MzMLFile_3_invalid.mzML").spectra.count, 4)
    }

    func testNamespacelessFileImportsWithANote() throws {
        let s = try read("openms_degenerate_empty_spec.mzML")
        XCTAssertEqual(s.spectra.count, 1)
        XCTAssertEqual(s.spectra.first?.spectrum.peakCount, 0)
        XCTAssertTrue(s.notes.contains { $0.contains("no PSI-MS namespace") }, "\(s.notes)")
    }

    func testStaleIndexOffsetsDoNotMatter() throws {
        // Offsets are all 4 bytes off; spectra are read in document order, never through the index.
        let s = try read("pymzml_example_invalid_obo_version.mzML")
        XCTAssertEqual(s.spectra.count, 11)
        XCTAssertEqual(s.spectra.map(\.spectrum.peakCount).reduce(0, +), 11979)
    }
}
