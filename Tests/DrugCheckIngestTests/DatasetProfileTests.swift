import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The public drug-checking datasets read through their profiles reproduce each dataset's own
/// per-substance sample counts, tallied here with a separate, simple parse.
final class DatasetProfileTests: XCTestCase {
    let bc = "datasets/drugcheckingbc_full_data_2018-06_to_2020-11-04.csv"
    let bccsu = "datasets/bccsu_test_site_data_fentanyl_strip_vs_ftir.csv"
    let uncSnapshot = "csv/drugchecking/opioiddatalab_analysis_dataset.2023-snapshot.csv"
    let uncNC = "datasets/unc_streetsafe/nc_analysis_dataset_TRUNCATED_header_plus_12rows_commit553e082.csv"
    let uncGCMS = "datasets/unc_streetsafe/unc_gcms_2022-08_to_2023-01_commit001ba460.csv"

    /// Rows of a CSV as dictionaries by header (the files have no line breaks inside quotes).
    func table(_ relative: String) throws -> [[String: String]] {
        let lines = try ProfileFixtures.lines(relative)
        let header = ProfileFixtures.cells(lines[0])
        return lines.dropFirst().map { Dictionary(zip(header, ProfileFixtures.cells($0)), uniquingKeysWith: { a, _ in a }) }
    }

    func testDrugCheckingBCFTIRListsAndStrips() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(bc))
        XCTAssertEqual(e.profile, "drugcheckingbc-full-data")
        let rows = try table(bc)
        XCTAssertEqual(e.samples.count, rows.count)
        var ftir: [String: Int] = [:]
        let nonAnswers: Set = ["Uncertain Match", "No Library Match", "No Signal", "Uncertain Oil", "Uncertain Carbohydrate",
                               "Sugar Uncertain", "Uncertain Salt", "uncertain sulfate", "Negative"]
        let item = try NSRegularExpression(pattern: "'([^']*)'")
        for row in rows {
            let list = row["FTIR Spectrometer"] ?? ""
            let names = item.matches(in: list, range: NSRange(list.startIndex..., in: list)).map { (list as NSString).substring(with: $0.range(at: 1)) }
            for name in Set(names) where !name.isEmpty && !nonAnswers.contains(name) { ftir[name, default: 0] += 1 }
        }
        XCTAssertEqual(ProfileFixtures.counts(e.findings, technique: "FTIR"), ftir)
        XCTAssertEqual(ftir["Fentanyl HCl"], 2978)
        let strips = e.findings.filter { $0.technique == "test_strip" }
        for (column, substance) in [("Fentanyl Test Strip", "fentanyl"), ("Benzo Test Strip", "benzodiazepines")] {
            XCTAssertEqual(strips.filter { $0.substance == substance && $0.detected }.count, rows.filter { $0[column] == "True" }.count)
            XCTAssertEqual(strips.filter { $0.substance == substance && !$0.detected }.count, rows.filter { $0[column] == "False" }.count)
        }
        let first = try XCTUnwrap(e.samples.first)
        XCTAssertEqual([first.sampleID, first.soldAs, first.collectedOn, first.region], ["2020-11-01#1", "MDMA", "2020-11-01", "Vancouver"])
    }

    func testDrugCheckingBCVariantReorderedInWindows1252() throws {
        let lines = try ProfileFixtures.lines(bc).prefix(200).map { line -> String in
            let c = ProfileFixtures.cells(line)
            return [c[6], c[3], c[0], c[5], c[4], c[2], c[1]].map { "\"\($0)\"" }.joined(separator: ";")
        }
        let url = try ProfileFixtures.variant(lines.joined(separator: "\r\n").replacingOccurrences(of: "Mail In", with: "Québec"),
                                              named: "bc.csv", encoding: .windowsCP1252)
        let e = try ProfileFixtures.inspect(url)
        let original = try ProfileFixtures.inspect(ProfileFixtures.refdata(bc))
        let firstRows = original.findings.filter { $0.line <= 200 }
        XCTAssertEqual(ProfileFixtures.counts(e.findings), ProfileFixtures.counts(firstRows))
        XCTAssertTrue(e.samples.contains { $0.region == "Québec" })
    }

    func testBCCSUStripVersusFTIR() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(bccsu))
        XCTAssertEqual(e.profile, "bccsu-strip-vs-ftir")
        let rows = try table(bccsu)
        for (column, technique) in [("FENTANYL_STRIP_POS", "test_strip"), ("FENTANYL_FTIR_POS", "FTIR")] {
            let findings = e.findings.filter { $0.technique == technique }
            XCTAssertEqual(findings.filter(\.detected).count, rows.filter { $0[column] == "1.0" }.count, column)
            XCTAssertEqual(findings.filter { !$0.detected }.count, rows.filter { $0[column] == "0.0" }.count, column)
        }
        XCTAssertEqual(e.samples.count, Set(rows.compactMap { $0["FILE_ID"] }).count)
        XCTAssertFalse(e.samples.contains { $0.sampleID.hasSuffix(".dx") })
    }

    func testUNCAnalysisDatasetsReproduceTheirFlags() throws {
        for file in [uncSnapshot, uncNC] {
            let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(file))
            XCTAssertEqual(e.profile, "unc-analysis-dataset")
            let rows = try table(file)
            XCTAssertEqual(e.samples.count, rows.count)
            let counts = ProfileFixtures.counts(e.findings)
            for (column, substance) in [("lab_fentanyl_any", "fentanyl"), ("lab_xylazine_any", "xylazine"), ("lab_meth_any", "methamphetamine"),
                                        ("lab_cocaine_any", "cocaine"), ("lab_carfentanil_any", "carfentanil"), ("lab_caffeine", "caffeine")] {
                XCTAssertEqual(counts[substance] ?? 0, rows.filter { $0[column] == "1" }.count, "\(file) \(column)")
            }
            XCTAssertNil(counts["opioid"] ?? counts["nitazene"] ?? counts["null"], "class flags are not substances")
        }
        let first = try XCTUnwrap(ProfileFixtures.inspect(ProfileFixtures.refdata(uncSnapshot)).samples.first)
        XCTAssertEqual([first.sampleID, first.collectedOn, first.soldAs, first.sampleType], ["424", "2021-10-15", "heroin; fentanyl", "spatula"])
    }

    func testUNCAnalysisDatasetSubmission() throws {
        let submission = try LabExportReader().read(file: ProfileFixtures.refdata(uncSnapshot), options: ImportOptions(labCode: "US-UNC"))
        XCTAssertFalse(submission.resultsForRegisteredSamples)
        let first = try XCTUnwrap(submission.samples.first)
        XCTAssertEqual(first.type, .powder, "'spatula' through the profile's value map")
        XCTAssertEqual(first.source, .drugChecking)
        XCTAssertEqual(first.collectedOn, CalendarDate(year: 2021, month: 10, day: 15))
        XCTAssertEqual(first.analyses.first?.analysedOn, CalendarDate(year: 2022, month: 2, day: 11))
    }

    func testUNCGCMSResultsPerSubstance() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(uncGCMS))
        XCTAssertEqual(e.profile, "unc-gcms-results")
        let rows = try table(uncGCMS)
        XCTAssertEqual(ProfileFixtures.counts(e.findings), rows.reduce(into: [:]) { $0[$1["substance"] ?? "", default: 0] += 1 })
        XCTAssertEqual(e.findings.first?.rtMin, 3.3)
        XCTAssertEqual(e.findings.first?.analysedOn, "2022-08-30")
        XCTAssertNil(e.findings[1].rtMin, "'.' is no retention time")
    }

    func testUNCTalliesAndDictionaryAreRefused() throws {
        for file in ["csv/drugchecking/opioiddatalab_substances_detected.csv", "csv/drugchecking/opioiddatalab_chemdictionary.csv",
                     "datasets/unc_streetsafe/substances_detected_counts_commit7292b80.csv"] {
            let message = rejection { try ProfileFixtures.inspect(ProfileFixtures.refdata(file)) }?.description ?? ""
            XCTAssertTrue(message.contains("not imported"), message)
        }
    }
}
