import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The SENAITE instrument exports of refdata read through their profiles, values checked against
/// the files, and variants of each format family (other locale, encoding, column order, layout).
final class InstrumentProfileTests: XCTestCase {
    let dir = "csv/instrument/"

    func testMassHunterQuantTwoRowHeader() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(dir + "senaite_agilent.masshunter.quantitative.csv"))
        XCTAssertEqual(e.profile, "agilent-masshunter-quant")
        // Line 3: H2O-0001, TestInterims Results RT 26.563, Final Conc. 0.1034; the ISTD (TPP) and qualifiers are not findings.
        XCTAssertEqual(e.findings.map(\.substance), ["TestInterims"])
        let f = try XCTUnwrap(e.findings.first)
        XCTAssertEqual(f.sampleID, "H2O-0001")
        XCTAssertEqual(f.concentration, 0.1034)
        XCTAssertEqual(f.rtMin, 26.563)
        XCTAssertEqual(f.analysedOn, "2019-02-28")
        XCTAssertEqual(f.line, 3)
    }

    func testMassHunterQuantFlatVariantWithColumnsReordered() throws {
        let text = """
            Compound,RT,Final Conc.,Acq. Date-Time,Type,Data File,Calc. Conc.,Sample Name
            Cocaine,4.21,12.5,3/1/2024 9:02 AM,Sample,BE-0042.d,12.5,
            Fentanyl,,,3/1/2024 9:02 AM,Sample,BE-0042.d,,
            Cocaine,4.20,50,3/1/2024 9:30 AM,Cal,CAL-5.d,50,
            """
        let e = try ProfileFixtures.inspect(ProfileFixtures.variant(text, named: "quant-flat.csv"))
        XCTAssertEqual(e.profile, "agilent-masshunter-quant")
        XCTAssertEqual(e.findings.map(\.sampleID), ["BE-0042", "BE-0042"], "calibration rows are left out; the id comes from the data file")
        XCTAssertEqual(e.findings.map(\.detected), [true, false])
        XCTAssertEqual(e.findings.first?.concentration, 12.5)
        XCTAssertEqual(e.findings.first?.analysedOn, "2024-03-01")
    }

    func testMassHunterQual() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(dir + "senaite_agilent.masshunter.qualitative.csv"))
        XCTAssertEqual(e.profile, "agilent-masshunter-qual")
        let f = try XCTUnwrap(e.findings.first)
        XCTAssertEqual(e.findings.count, 1)
        XCTAssertEqual([f.sampleID, f.substance, f.technique], ["H2O-0001", "D3-Testosterone", "GC-MS"], "QQQ7000 is a GC triple quad")
        XCTAssertEqual(f.rtMin, 8)
        XCTAssertEqual(f.mz, 583.3)
        XCTAssertEqual(f.matchScore, 100)
    }

    func testMassHunterQualWithoutPreambleAndFeatureRows() throws {
        let text = """
            Sample Name,Label,Cpd,RT,m/z,Score,Instrument Name
            BE-7,Cpd 1: Heroin,1,"6,41","370,17","91,5",6546 Q-TOF
            BE-7,Cpd 2: 7.211,2,"7,21","210,1",,6546 Q-TOF
            """
        let e = try ProfileFixtures.inspect(ProfileFixtures.variant(text, named: "qual.csv"))
        XCTAssertEqual(e.findings.map(\.substance), ["Heroin"], "unidentified features are left out")
        XCTAssertEqual(e.findings.first?.rtMin, 6.41)
        XCTAssertEqual(e.findings.first?.matchScore, 91.5)
        XCTAssertEqual(e.findings.first?.technique, "LC-HRMS")
    }

    func testShimadzuGCMSsolution() throws {
        let url = try ProfileFixtures.refdata(dir + "senaite_shimadzu_gcms_QP2010.txt")
        let e = try ProfileFixtures.inspect(url)
        XCTAssertEqual(e.profile, "shimadzu-gcmssolution")
        // The file's own tally: 23 targets ("# of IDs 23"), 3 "Not Identified" rows.
        let rows = try ProfileFixtures.lines(dir + "senaite_shimadzu_gcms_QP2010.txt").map { $0.components(separatedBy: "\t") }
        let targets = rows.filter { $0.count > 5 && Int($0[0]) != nil && $0[2] == "Target" }
        XCTAssertEqual(e.findings.count, targets.count)
        XCTAssertEqual(e.findings.filter { !$0.detected }.map(\.substance), targets.filter { $0[5] == "Not Identified" }.map { $0[1] })
        XCTAssertEqual(Set(e.findings.map(\.sampleID)), ["1-16-02249-001"], "from the data file name in [Header]")
        let pinene = try XCTUnwrap(e.findings.first)
        XCTAssertEqual([pinene.substance, pinene.unit], ["alpha-Pinene", "mg"])
        XCTAssertEqual(pinene.concentration, 0.02604)
        XCTAssertEqual(pinene.rtMin, 7.738)
        XCTAssertEqual(pinene.mz, 93)
        XCTAssertEqual(pinene.matchScore, 98)
        XCTAssertNil(e.findings[1].concentration, "Camphene's negative amount is below calibration")
        XCTAssertEqual(e.findings.first { $0.substance == "Terpinolene" }?.concentration, 2.09534)
    }

    func testShimadzuGCMSsolutionWithoutHeaderBlockInWindows1252WithDecimalComma() throws {
        var text = try ProfileFixtures.lines(dir + "senaite_shimadzu_gcms_QP2010.txt").dropFirst(4).joined(separator: "\r\n")
        text = text.replacingOccurrences(of: "alpha-Pinene", with: "alpha-Pinène").replacingOccurrences(of: "7.738", with: "7,738")
        let url = try ProfileFixtures.variant(text, named: "qp2010-noheader.txt", encoding: .windowsCP1252)
        XCTAssertTrue(rejection { try ProfileFixtures.inspect(url) }?.description.contains("--sample") ?? false)
        let e = try ProfileFixtures.inspect(url, sample: "BE-0099")
        XCTAssertEqual(e.findings.count, 23)
        XCTAssertEqual(e.findings.first?.substance, "alpha-Pinène")
        XCTAssertEqual(e.findings.first?.rtMin, 7.738)
        XCTAssertEqual(Set(e.findings.map(\.sampleID)), ["BE-0099"])
    }

    func testShimadzuNexeraCompoundBlocks() throws {
        let e = try ProfileFixtures.inspect(ProfileFixtures.refdata(dir + "senaite_shimadzu_nexera_LC2040C.txt"))
        XCTAssertEqual(e.profile, "shimadzu-labsolutions-nexera")
        // Independent tally: injection rows start with a number; '-----' in Ret. Time is not detected.
        let rows = try ProfileFixtures.lines(dir + "senaite_shimadzu_nexera_LC2040C.txt").map { $0.components(separatedBy: "\t") }
        let injections = rows.filter { $0.count > 7 && Int($0[0]) != nil }
        XCTAssertEqual(e.findings.count, injections.count)
        XCTAssertEqual(e.findings.filter(\.detected).count, injections.filter { $0[6] != "-----" }.count)
        XCTAssertEqual(Set(e.findings.map(\.substance)).count, rows.filter { $0.first == "Name" }.count)
        XCTAssertEqual(e.samples.map(\.sampleID), ["QC PREP A", "QC PREP B", "QC PREP C", "PT Part # 38417 Lot 033116"])
        let cbda = try XCTUnwrap(e.findings.first { $0.line == 21 })
        XCTAssertEqual(cbda.substance, "CBDA - cannabidiolic acid")
        XCTAssertEqual(cbda.concentration, 133.519)
        XCTAssertEqual(cbda.rtMin, 2.596)
    }

    func testShimadzuNexeraInUTF16WithColumnsSwapped() throws {
        let swapped = try ProfileFixtures.lines(dir + "senaite_shimadzu_nexera_LC2040C.txt").map { line -> String in
            var cells = line.components(separatedBy: "\t")
            if cells.count > 14 { cells.swapAt(6, 14) }
            return cells.joined(separator: "\t")
        }.joined(separator: "\r\n")
        let e = try ProfileFixtures.inspect(ProfileFixtures.variant(swapped, named: "nexera16.txt", encoding: .utf16LittleEndian, bom: [0xFF, 0xFE]))
        let cbda = try XCTUnwrap(e.findings.first { $0.substance.hasPrefix("CBDA") && $0.sampleID.hasPrefix("PT Part") })
        XCTAssertEqual(cbda.concentration, 133.519)
        XCTAssertEqual(cbda.rtMin, 2.596)
    }

    func testNonDrugInstrumentsAreRefused() throws {
        for name in ["senaite_abaxis_vetscan_VS2.csv", "senaite_panalytical_omnia_axios_00.csv"] {
            let message = rejection { try ProfileFixtures.inspect(ProfileFixtures.refdata(dir + name)) }?.description ?? ""
            XCTAssertTrue(message.contains("not a drug analysis instrument"), message)
        }
    }

    func testInstrumentResultsNeedTheLabAndAreForRegisteredSamples() throws {
        let url = try ProfileFixtures.refdata(dir + "senaite_shimadzu_gcms_QP2010.txt")
        XCTAssertTrue(rejection { try LabExportReader().read(file: url, options: ImportOptions()) }?.description.contains("--lab CODE") ?? false)
        let submission = try LabExportReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(submission.format, .labExport)
        XCTAssertTrue(submission.resultsForRegisteredSamples)
        XCTAssertEqual(submission.samples.map(\.labSampleID), ["1-16-02249-001"])
        XCTAssertEqual(submission.samples.first?.analyses.first?.technique, .gcms)
        XCTAssertEqual(submission.findingCount, 23)
        XCTAssertTrue(submission.notes.contains { $0.contains("'mg'") }, "an amount unit DrugCheck does not store is named")
        XCTAssertTrue(ReaderRegistry.reader(for: .labExport) is LabExportReader)
    }
}
