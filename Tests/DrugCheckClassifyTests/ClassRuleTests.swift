import DrugCheckClassify
import DrugCheckIngest
import Foundation
import XCTest

final class ClassRuleTests: XCTestCase {
    /// Ion m/z computed from formulas agree with the published values: 188.1434/105.0699/134.0964
    /// (MassBank AU154501 annotation of fentanyl, PK$ANNOTATION C13H18N+ 188.1434), and the nitazene
    /// decision-tree / example-spectrum values 100.1121, 72.0808, 107.0491 (refdata nitazene_esi_csv).
    func testDiagnosticIonsComputedFromFormulas() {
        XCTAssertEqual(DiagnosticIon("C13H18N", "").mz, 188.1434, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C8H9", "").mz, 105.0699, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C9H12N", "").mz, 134.0964, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C6H14N", "").mz, 100.1121, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C4H10N", "").mz, 72.0808, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C7H7O", "").mz, 107.0491, accuracy: 5e-5)
        XCTAssertEqual(DiagnosticIon("C10H13O", "").mz, 149.0961, accuracy: 5e-5)
    }

    func testNitazenePeakListsFireTheNitazeneRule() throws {
        let root = try SpectraRefData.root()
        for name in ["S02", "S03", "S38", "exampleMS2"] {
            let s = try PeakListCSVReader().read(file: root.appendingPathComponent("nitazene_esi_csv/\(name).csv"))
            XCTAssertEqual(ClassRuleSet.standard.evaluate(s).map(\.substanceClass), [.nitazene], name)
        }
    }

    func testFentanylRulesOnMassBankAndEISpectra() throws {
        let root = try SpectraRefData.root()
        let esi = try XCTUnwrap(MassBankRecordReader().read(file: root.appendingPathComponent("massbank/fentanyl/MSBNK-Athens_Univ-AU154502.txt")).first)
        XCTAssertEqual(ClassRuleSet.standard.evaluate(esi).first?.ruleID, "fentanyl-esi-1")
        let ei = try MSPReader().read(file: root.appendingPathComponent("ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp"))
        let fentanyl = try XCTUnwrap(ei.first { $0.name == "Fentanyl" })
        XCTAssertEqual(ClassRuleSet.standard.evaluate(fentanyl).first?.ruleID, "fentanyl-ei-1")
        // Thiofentanyl: 189 → 146 with the thienylmethyl ion 97 instead of phenethyl 105.
        let thiofentanyl = try XCTUnwrap(ei.first { $0.name == "Thiofentanyl" })
        XCTAssertEqual(ClassRuleSet.standard.evaluate(thiofentanyl).first?.ruleID, "fentanyl-ei-1")
    }

    /// No fentanyl or nitazene rule fires on a classic opioid (morphinans, pethidine, methadone …),
    /// e.g. the dense morphine EI record MSBNK-Fac_Eng_Univ_Tokyo-JP003089 (pairs 43 u apart such as 200 → 157).
    func testNoNewAnalogueRuleFiresOnClassicOpioids() throws {
        var checked = 0
        for item in try SpectraRefData.all() where item.truth == .classicOpioid {
            checked += 1
            XCTAssertEqual(ClassRuleSet.standard.evaluate(item.spectrum).map(\.ruleID), [], item.file)
        }
        XCTAssertGreaterThan(checked, 150)
    }

    /// No class rule fires on any refdata spectrum of a non-opioid.
    func testNoRuleFiresOnNonOpioids() throws {
        for item in try SpectraRefData.all() where !item.truth.isOpioid {
            XCTAssertEqual(ClassRuleSet.standard.evaluate(item.spectrum).map(\.ruleID), [], item.file)
        }
    }
}
