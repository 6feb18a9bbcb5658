import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The 4-anilidopiperidine loss rules (`fentanyl-esi-anilide-1`, `fentanyl-esi-nominal-1`) on real
/// spectra they must fire on, and on the real non-opioid spectra closest to them, where they must not.
final class AnilidopiperidineRuleTests: XCTestCase {
    let anilideRule = ClassRuleSet(version: "test", rules: [FentanylAnilideLossRule()])
    let nominalRule = ClassRuleSet(version: "test", rules: [FentanylNominalESIRule()])

    func massBank(_ path: String) throws -> Spectrum {
        try XCTUnwrap(MassBankRecordReader().read(file: try SpectraRefData.root().appendingPathComponent("massbank/\(path)")).first)
    }

    func fentanylHunter(_ name: String, source: String) throws -> Spectrum {
        let url = try SpectraRefData.root().appendingPathComponent("esi_msp/FentanylHunter_Fentanyllibrary_noNIST.msp")
        return try XCTUnwrap(MSPReader().read(file: url).first { $0.name == name && $0.metadata.values.contains(source) }, name)
    }

    /// Propananilide C9H11NO = fentanyl [M+H]+ 337.2274 − C13H18N+ 188.1434 (MassBank AU154501 annotation).
    func testLossesComputedFromFormulas() throws {
        let propananilide = try XCTUnwrap(AnilidopiperidineLosses.anilides.first { $0.formula == "C9H11NO" })
        XCTAssertEqual(propananilide.mass, 337.2274 - 188.1434, accuracy: 2e-4)
        XCTAssertEqual(AnilidopiperidineLosses.tetrahydropyridine.mass, 83.0735, accuracy: 1e-4)
        XCTAssertEqual(Set(AnilidopiperidineLosses.anilides.map(\.formula)).count, AnilidopiperidineLosses.anilides.count)
        XCTAssertTrue(AnilidopiperidineLosses.anilides.contains { $0.formula == "C9H7N3O2" }, "N-pyrazinylfurancarboxamide (mirfentanil)")
    }

    /// Analogues without the phenethyl scaffold ion, and a nor-metabolite.
    func testAnilideLossFiresOnNonPhenethylAnaloguesAndNorfentanyl() throws {
        let spectra = [
            try massBank("sufentanil/MSBNK-Univ_Connecticut-CO000422.txt"), // 387 → 238.1258 base, 111.0272
            try massBank("alfentanil/MSBNK-Univ_Connecticut-CO000036.txt"), // 417 → 268.1780, the only fragment
            try massBank("norfentanyl/MSBNK-Eawag-EQ361203.txt"), // 233 → 84.0806 base, 150.0912, 177.1384
            try fentanylHunter("Remifentanil", source: "HighResNPS"), // 228.1230 = 377.2071 − C9H11NO
            try fentanylHunter("Thiafentanil", source: "HighResNPS"), // 252.1053 = 417.1842 − C9H11NO2
            try fentanylHunter("Mirfentanil", source: "HighResNPS"), // 188.1434 = 377.1972 − C9H7N3O2
        ]
        for s in spectra {
            XCTAssertEqual(anilideRule.evaluate(s).map(\.ruleID), ["fentanyl-esi-anilide-1"], s.name ?? s.id)
        }
    }

    /// Ring-substituted phenethyl analogue whose strongest fragment is the N-substituent cation
    /// (loss of the whole 4-anilidopiperidine, C14H20N2O 232.1576).
    func testSubstituentCationPathFires() throws {
        let s = try fentanylHunter("N-(3-ethylindole) Fentanyl", source: "HighResNPS")
        let evidence = try XCTUnwrap(anilideRule.evaluate(s).first)
        XCTAssertTrue(evidence.ions.contains { $0.contains("144.0808") }, "\(evidence.ions)")
    }

    /// Norfentanyl at higher energy keeps the charge on the amide: [C9H11NO+H]+ 150.0913 with the
    /// methylketene loss (177.1386) or, as base peak, with its water loss (132.0808).
    func testAmideIonPathFiresOnNorfentanyl() throws {
        for path in ["norfentanyl/MSBNK-Athens_Univ-AU155202.txt", "norfentanyl/MSBNK-Athens_Univ-AU155204.txt"] {
            let evidence = try XCTUnwrap(anilideRule.evaluate(try massBank(path)).first, path)
            XCTAssertTrue(evidence.ions[0].hasPrefix("[C9H11NO+H]+ 150.09"), "\(evidence.ions)")
        }
    }

    func testNominalRuleFiresOnSingleQuadrupoleSpectra() throws {
        for path in ["fentanyl/MSBNK-Waters-WA001017.txt", "sufentanil/MSBNK-Waters-WA000641.txt"] {
            let s = try massBank(path)
            XCTAssertEqual(nominalRule.evaluate(s).map(\.ruleID), ["fentanyl-esi-nominal-1"], path)
            XCTAssertEqual(anilideRule.evaluate(s).map(\.ruleID), [], "accurate-mass rule must refuse unit-mass data")
        }
    }

    /// Lidocaine loses 2,6-xylidine + CO (C9H11NO, isobaric with propananilide) to its base peak
    /// 86.0964: the rule must see that loss and still refuse (product below m/z 150, no second ion).
    func testNotFiredByLidocaineDespiteIsobaricAnilideLoss() throws {
        let lidocaine = try massBank("lidocaine/MSBNK-Eawag-EA257207.txt")
        let peaks = PeakLookup(lidocaine)
        let product = try XCTUnwrap(lidocaine.precursorMZ) - 149.0841
        XCTAssertEqual(peaks.peak(product, tolerance: 0.003, minimumRelative: 0.9)?.relative ?? 0, 1, accuracy: 1e-9)
        XCTAssertEqual(anilideRule.evaluate(lidocaine).map(\.ruleID), [])
    }

    /// The real spectra closest to these rules: the amide/amine local anaesthetics (lidocaine,
    /// procaine, benzocaine), diltiazem, mitragynine (methyl ester, methoxy groups), THC and every
    /// single-quadrupole (nominal) non-opioid record; and the morphinans, which lose fragments
    /// isobaric with acetanilide/propananilide (oxycodone 316 → 181, 167).
    func testNewRulesSilentOnClosestNonOpioidsAndMorphinans() throws {
        let folders: Set = ["lidocaine", "procaine", "benzocaine", "diltiazem", "mitragynine", "THC", "oxycodone", "morphine"]
        var checked = 0
        for item in try SpectraRefData.all() where item.truth != .fentanylAnalogue {
            let folder = item.file.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            guard folders.contains(folder) || PeakLookup(item.spectrum).isNominalMass else { continue }
            checked += 1
            XCTAssertEqual(anilideRule.evaluate(item.spectrum).map(\.ruleID) + nominalRule.evaluate(item.spectrum).map(\.ruleID), [], item.file)
        }
        XCTAssertGreaterThan(checked, 100)
    }
}
