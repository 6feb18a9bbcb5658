import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The `version` attribute of `<mzML>`: converters write it empty or leave it out, and the 1.1
/// namespace then says what the file is; pre-release 0.99 files are refused.
final class MzMLVersionAttributeTests: XCTestCase {
    let options = ImportOptions(labCode: "BE-NICC")
    let original = "mzml/openms_SiriusExport_1_input.mzML"

    /// The real file with the version attribute of its `<mzML>` start tag replaced by `attribute`.
    func variant(_ attribute: String) throws -> URL {
        var text = try String(contentsOf: try XMLTestPaths.refdataFile(original), encoding: .isoLatin1)
        let tag = try XCTUnwrap(text.range(of: "<mzML "))
        let end = try XCTUnwrap(text.range(of: ">", range: tag.upperBound..<text.endIndex))
        let version = try XCTUnwrap(text.range(of: " version=\"1.1.0\"", range: tag.upperBound..<end.lowerBound))
        text.replaceSubrange(version, with: attribute)
        let url = try XMLTestPaths.temporaryDirectory().appendingPathComponent("version-variant.mzML")
        try XCTUnwrap(text.data(using: .isoLatin1)).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        return url
    }

    func testEmptyOrMissingVersionIsReadAsMzML11FromItsNamespace() throws {
        let reference = try MzMLReader().read(file: try XMLTestPaths.refdataFile(original), options: options)
        XCTAssertFalse(reference.notes.contains { $0.contains("version attribute") }, "\(reference.notes)")
        XCTAssertEqual(reference.spectra.count, 51)
        for attribute in [" version=\"\"", ""] {
            let s = try MzMLReader().read(file: try variant(attribute), options: options)
            XCTAssertTrue(s.notes.contains { $0.contains("mzML version attribute empty or missing; read as mzML 1.1 from its namespace") },
                          "\(attribute): \(s.notes)")
            XCTAssertEqual(s.spectra.map(\.spectrum), reference.spectra.map(\.spectrum), attribute)
            XCTAssertEqual(s.chromatograms.count, reference.chromatograms.count, attribute)
        }
    }

    func testPreReleaseVersionIsRefusedNamingIt() throws {
        let url = try variant(" version=\"0.99.1\"")
        let text = rejection { try MzMLReader().read(file: url, options: options) }?.description ?? ""
        XCTAssertTrue(text.contains("pre-release mzML 0.99.1 is not supported"), text)
        XCTAssertTrue(text.contains("convert the file to mzML 1.1"), text)
    }
}
