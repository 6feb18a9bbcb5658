import DrugCheckModel
import Testing

@Suite("Molecular formulas and masses")
struct ChemicalFormulaTests {
    /// Published monoisotopic masses: PubChem compound records ("Monoisotopic Mass", computed by PubChem 2.2).
    @Test("monoisotopic mass matches PubChem", arguments: [
        ("C22H28N2O", 336.220164, "fentanyl, PubChem CID 3345"),
        ("C24H30N2O3", 394.225643, "carfentanil, CID 62156"),
        ("C21H32N6O3", 416.253589, "alfentanil, CID 51263"),
        ("C17H21NO4", 303.147058, "cocaine, CID 446220"),
        ("C12H16N2S", 220.103420, "xylazine, CID 5707"),
        ("C8H10N4O2", 194.080376, "caffeine, CID 2519"),
        ("C23H30N4O3", 410.231791, "isotonitazene, CID 145721979"),
        ("C16H22Cl2N2O", 328.110919, "U-47700, CID 13544141"),
    ])
    func publishedMasses(formula: String, mass: Double, record: String) throws {
        let computed = try ChemicalFormula(formula).monoisotopicMass
        #expect(abs(computed - mass) < 0.00001, "\(record): \(computed)")
    }

    @Test func fentanylProtonated() throws {
        let m = try ChemicalFormula("C22H28N2O").monoisotopicMass
        #expect(abs(m - 336.2202) < 0.00005)
        #expect(abs(m + ChemicalFormula.protonMass - 337.2274) < 0.00005)
    }

    @Test func parsing() throws {
        #expect(try ChemicalFormula("C6H5Br").counts == ["C": 6, "H": 5, "Br": 1])
        #expect(try ChemicalFormula("OHC2H5").description == "C2H6O")
        #expect(throws: ChemicalFormula.ParseError.unknownElement("Xx")) { try ChemicalFormula("C2Xx") }
        #expect(throws: ChemicalFormula.ParseError.self) { try ChemicalFormula("2C") }
        #expect(throws: ChemicalFormula.ParseError.self) { try ChemicalFormula("") }
    }

    /// Isomers (fentanyl and acetyl-α-methylfentanyl are both C22H28N2O) must tie exactly, or the
    /// order of their mass candidates changes from one run to the next. Written in every order.
    @Test(arguments: [["C22", "H28", "N2", "O"], ["C16", "H22", "Cl2", "N2", "O"], ["C12", "H16", "N2", "S", "Br", "F3"]])
    func oneFormulaHasOneMassToTheLastBit(parts: [String]) throws {
        func orders(_ rest: [String]) -> [[String]] {
            rest.isEmpty ? [[]] : rest.indices.flatMap { i in
                orders(Array(rest[..<i] + rest[(i + 1)...])).map { [rest[i]] + $0 }
            }
        }
        let masses = try Set(orders(parts).map { try ChemicalFormula($0.joined()).monoisotopicMass.bitPattern })
        #expect(masses.count == 1)
    }
}
