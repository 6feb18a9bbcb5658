import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// Format detection, choice by fingerprint or by name, and the rejection of unknown layouts.
final class ProfileChoiceTests: XCTestCase {
    func testCanonicalCSVStaysFindingsCSVAndOtherTextIsALabExport() throws {
        XCTAssertEqual(FormatDetector.detect(head: Data("lab,sample_id,sample_type,collected_on,substance,detected\n".utf8)), .findingsCSV)
        XCTAssertEqual(FormatDetector.detect(head: Data("\u{FEFF}Sample ID;Sample type\n".utf8)), .findingsCSV)
        let quant = try Data(contentsOf: ProfileFixtures.refdata("csv/instrument/senaite_agilent.masshunter.quantitative.csv"))
        XCTAssertEqual(FormatDetector.detect(head: quant), .labExport)
        XCTAssertEqual(FormatDetector.detect(head: Data("[Header]\r\nData File Name\tx.qgd\r\n".utf8)), .labExport)
    }

    func testEveryBundledProfileLoadsAndNamesAreUnique() throws {
        let library = try ProfileLibrary()
        XCTAssertGreaterThanOrEqual(library.profiles.count, 12)
        XCTAssertEqual(Set(library.profiles.map(\.name)).count, library.profiles.count)
    }

    func testProfileNamedOnTheCommandLineWins() throws {
        let url = try ProfileFixtures.refdata("datasets/unc_streetsafe/unc_gcms_2022-08_to_2023-01_commit001ba460.csv")
        let e = try ProfileFixtures.inspect(url, profile: "unc-gcms-results")
        XCTAssertEqual(e.reason, "chosen with --profile unc-gcms-results")
        XCTAssertTrue(rejection { try ProfileFixtures.inspect(url, profile: "no-such") }?.description.contains("known profiles") ?? false)
    }

    func testDeploymentProfileFolderIsSearchedFirst() throws {
        let folder = try XMLTestPaths.temporaryDirectory()
        let profile = """
            {"name": "acme-lims", "vendor": "ACME LIMS", "fingerprint": {"headers": ["Specimen", "Analyte", "Result"]},
             "table": {"kind": "rows", "header": ["Specimen", "Analyte"]},
             "columns": {"sampleID": {"headers": ["Specimen"], "pattern": "^LAB-(.+)$"}, "substance": {"headers": ["Analyte"]},
                         "detected": {"headers": ["Result"]}},
             "valueMaps": {"detected": {"POS": true, "NEG": false}},
             "technique": "GC-MS", "resultsForRegisteredSamples": true}
            """
        try Data(profile.utf8).write(to: folder.appendingPathComponent("acme.json"))
        let file = try ProfileFixtures.variant("Specimen,Analyte,Result\nLAB-0001,Ketamine,POS\nLAB-0001,Cocaine,NEG\n", named: "acme.csv")
        let e = try LabExportReader.inspect(file: file, options: ImportOptions(profileDirectories: [folder]))
        XCTAssertEqual(e.profile, "acme-lims")
        XCTAssertEqual(e.findings.map(\.sampleID), ["0001", "0001"])
        XCTAssertEqual(e.findings.map(\.detected), [true, false])
    }

    func testUnknownLayoutNamesHeadersNearestProfileAndTheFormatGuide() throws {
        let text = "Report v2\n\nData File Name,Acq. Date-Time,RT,Response\nx.d,1/2/2024,3.2,100\n"
        let url = try ProfileFixtures.variant(text, named: "unknown.csv")
        let r = try XCTUnwrap(rejection { try ProfileFixtures.inspect(url) })
        let problem = try XCTUnwrap(r.problems.first)
        XCTAssertEqual(problem.line, 3)
        XCTAssertEqual(problem.column, 1)
        XCTAssertTrue(problem.message.contains("Headers found (line 3): Data File Name, Acq. Date-Time, RT, Response"), problem.message)
        XCTAssertTrue(problem.message.contains("Nearest profile: agilent-masshunter-quant"), problem.message)
        XCTAssertTrue(problem.message.contains("'Calc. Conc.'"), problem.message)
        XCTAssertTrue(problem.message.contains("Schemas/import-profiles/README.md"), problem.message)
    }

    func testFindingsJSONHasEveryKey() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata("csv/instrument/senaite_agilent.masshunter.qualitative.csv"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(e)) as? [String: Any])
        XCTAssertEqual(json["profile"] as? String, "agilent-masshunter-qual")
        XCTAssertNotNil(json["vendor"] as? String)
        XCTAssertEqual((json["samples"] as? [[String: Any]])?.first?["sample_id"] as? String, "H2O-0001")
        let finding = try XCTUnwrap((json["findings"] as? [[String: Any]])?.first)
        for key in ["sample_id", "substance", "detected", "concentration", "unit", "rt_min", "mz", "match_score", "technique"] {
            XCTAssertTrue(finding.keys.contains(key), key)
        }
    }
}
