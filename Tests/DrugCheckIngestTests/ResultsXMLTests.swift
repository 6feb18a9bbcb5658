@testable import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// DrugCheck results XML: the annotated example imports, the embedded schema is the file in
/// Schemas/, and schema violations are rejected with their line.
final class ResultsXMLTests: XCTestCase {
    let example = XMLTestPaths.packageRoot.appendingPathComponent("Imports/results-example.xml")

    func testEmbeddedSchemaIsTheSchemaFile() throws {
        let file = try String(contentsOf: XMLTestPaths.packageRoot.appendingPathComponent("Schemas/drugcheck-results-1.0.xsd"), encoding: .utf8)
        XCTAssertEqual(ResultsSchemaText.xsd + "\n", file, "run Schemas/embed-results-xsd.sh")
    }

    func testExampleImports() throws {
        let head = try FileHandle(forReadingFrom: example).read(upToCount: FormatDetector.sniffLength) ?? Data()
        XCTAssertEqual(FormatDetector.detect(head: head), .resultsXML)
        let s = try ResultsXMLReader().read(file: example, options: ImportOptions())
        XCTAssertEqual(s.samples.map(\.labSampleID), ["NICC-2026-0412", "NICC-2026-0437", "NICC-2026-0455", "NICC-2026-0471"])
        XCTAssertTrue(s.samples.allSatisfy { $0.labCode == "BE-NICC" })
        XCTAssertEqual(s.samples.compactMap { $0.referenceDate?.isoWeek.description }, ["2026-W44", "2026-W45", "2026-W46", "2026-W47"])
        let vape = s.samples[0]
        XCTAssertEqual(vape.type, .vapeRefill)
        XCTAssertEqual(vape.source, .drugChecking)
        XCTAssertEqual(vape.soldAs, "THC vape")
        XCTAssertEqual(vape.description.flavour, "blueberry")
        XCTAssertEqual(vape.description.text, "510-thread cartridge, 1 mL")
        XCTAssertEqual(vape.analyses.first?.technique, .lchrms)
        let nitazene = try XCTUnwrap(vape.findings.first { $0.detected })
        XCTAssertEqual(nitazene.reportedName, "Metonitazene")
        XCTAssertEqual(nitazene.concentration, Concentration(value: 0.8, unit: .mgPerML))
        XCTAssertEqual(nitazene.retentionTimeMinutes, 6.42)
        XCTAssertEqual(vape.findings.filter { !$0.detected }.map(\.reportedName), ["delta-9-THC"])
        XCTAssertEqual(s.samples[1].findings.map(\.reportedName), ["Cocaine", "Fentanyl", "Levamisole"])
        XCTAssertEqual(s.samples[2].analyses.map(\.technique), [.testStrip, .gcms])
        XCTAssertEqual(s.samples[2].seizureContext, "street seizure, Ghent")
        XCTAssertFalse(s.samples[3].findings.contains { $0.detected && $0.reportedName != "MDMA" })
        XCTAssertEqual(s.spectra.count, 1)
        XCTAssertEqual(s.spectra[0].sampleIndex, 0)
        XCTAssertEqual(s.spectra[0].spectrum.mz, [72.0808, 100.1121, 121.0648, 383.2078])
        XCTAssertEqual(s.spectra[0].spectrum.precursorMZ, 383.2078)
    }

    func testSchemaViolationIsRejectedWithLine() throws {
        let dir = try XMLTestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var text = try String(contentsOf: example, encoding: .utf8)
        text = text.replacingOccurrences(of: "sample_type=\"powder\"", with: "sample_type=\"rock\"")
        let url = dir.appendingPathComponent("invalid.xml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let r = rejection { try ResultsXMLReader().read(file: url, options: ImportOptions()) }
        // The start tag spans two lines; libxml2 reports the line where it ends.
        let tagLine = try XCTUnwrap(text.components(separatedBy: "\n").firstIndex { $0.contains("sample_type=\"rock\"") }) + 1
        XCTAssertEqual(r?.problems.first?.line, tagLine + 1, r?.description ?? "")
        XCTAssertTrue(r?.description.contains("rock") ?? false, r?.description ?? "")
    }

    func testMissingRequiredPartsAreRejected() throws {
        let dir = try XMLTestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("nosample.xml")
        try #"<results xmlns="urn:drugcheck:results:1.0" version="1.0" lab="BE-NICC"><finding substance="x" detected="true"/></results>"#
            .write(to: url, atomically: true, encoding: .utf8)
        let r = rejection { try ResultsXMLReader().read(file: url, options: ImportOptions()) }
        XCTAssertEqual(r?.problems.first?.line, 1, r?.description ?? "")
        XCTAssertTrue(r?.description.contains("finding") ?? false, r?.description ?? "")
    }

    func testLabMustAgreeWithOption() {
        let r = rejection { try ResultsXMLReader().read(file: example, options: ImportOptions(labCode: "NL-DIMS")) }
        XCTAssertTrue(r?.description.contains("NL-DIMS") ?? false)
    }
}
