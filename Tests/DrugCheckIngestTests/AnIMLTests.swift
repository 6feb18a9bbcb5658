import DrugCheckIngest
import Foundation
import XCTest

/// AnIML: the Imports/ example and the real refdata documents import, and what is not
/// understood is listed in the notes.
final class AnIMLTests: XCTestCase {
    func testExampleImportsSpectrumAndReportsTheRest() throws {
        let url = XMLTestPaths.packageRoot.appendingPathComponent("Imports/animl-example.animl")
        let head = try FileHandle(forReadingFrom: url).read(upToCount: FormatDetector.sniffLength) ?? Data()
        XCTAssertEqual(FormatDetector.detect(head: head), .animl)
        let s = try AnIMLReader().read(file: url, options: ImportOptions())
        let sample = try XCTUnwrap(s.samples.first)
        XCTAssertEqual(sample.labCode, "BE-NICC")
        XCTAssertEqual(sample.labSampleID, "NICC-2026-0466")
        XCTAssertEqual(sample.type, .powder)
        XCTAssertEqual(sample.source, .drugChecking)
        XCTAssertEqual(sample.soldAs, "heroin")
        XCTAssertEqual(sample.collectedOn?.description, "2026-11-12")
        XCTAssertEqual(sample.region, "BE100")
        XCTAssertEqual(sample.attributes, ["Container/mass": "0.12"])
        XCTAssertEqual(sample.analyses.first?.technique, .gcms)
        XCTAssertEqual(sample.analyses.first?.instrument, "Agilent 8890/5977B")
        XCTAssertEqual(sample.analyses.first?.analysedOn?.description, "2026-11-13")
        XCTAssertEqual(s.spectra.count, 1)
        let spectrum = s.spectra[0].spectrum
        XCTAssertEqual(spectrum.mz.first, 77.0386)
        XCTAssertEqual(spectrum.intensity, [3000, 45000, 7000, 9000, 5000, 100000, 4000, 12000])
        XCTAssertTrue(s.notes.contains { $0.contains("chromatogram \"TIC\" (5 points)") }, "\(s.notes)")
        XCTAssertTrue(s.notes.contains { $0.contains("\"Peaks\" (Peak Name, Area) not understood") }, "\(s.notes)")
    }

    func testRealMicroplateDocumentImportsWithNotes() throws {
        let url = try XMLTestPaths.refdataFile("animl/fairchem_real_life.animl")
        let s = try AnIMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(s.samples.map(\.labSampleID), ["plate_0"])
        XCTAssertEqual(s.samples[0].attributes["SiLA Labware Properties/Rows"], "8")
        XCTAssertEqual(s.samples[0].analyses.first?.instrument, "Varioskan LUX")
        XCTAssertEqual(s.samples[0].analyses.first?.analysedOn?.description, "2020-06-22")
        XCTAssertEqual(s.spectra.count, 0)
        // The absorbance read is neither a mass spectrum nor a chromatogram.
        XCTAssertTrue(s.notes.contains { $0.contains("not understood") }, "\(s.notes)")
        XCTAssertTrue(s.notes.contains { $0.contains("AuditTrailEntrySet") }, "\(s.notes)")
    }

    func testLibraryTestDocumentImportsBothSamples() throws {
        let url = try XMLTestPaths.refdataFile("animl/py-animl_animl_0.90.xml")
        let s = try AnIMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(s.samples.map(\.labSampleID), ["js1", "s1"])
        XCTAssertEqual(s.samples[0].attributes["data1/sub-data2/magic"], "42")
        XCTAssertEqual(s.samples[0].attributes["my_tag"], "tag1")
        XCTAssertTrue(s.notes.contains { $0.contains("data-set-1") && $0.contains("not understood") }, "\(s.notes)")
    }

    func testLabIsRequired() throws {
        let url = try XMLTestPaths.refdataFile("animl/fairchem_real_life.animl")
        let r = rejection { try AnIMLReader().read(file: url, options: ImportOptions()) }
        XCTAssertTrue(r?.description.contains("--lab") ?? false, r?.description ?? "")
    }
}
