import DrugCheckModel

/// A fragment ion named by its elemental formula; its m/z is computed, never typed:
/// monoisotopic mass of the formula minus one electron (singly charged cation).
///
/// ```swift
/// DiagnosticIon("C13H18N", "phenethylpiperidine iminium").mz // 188.1434
/// ```
public struct DiagnosticIon: Sendable, Hashable {
    public let formula: String
    public let label: String
    public let mz: Double

    public init(_ formula: String, _ label: String) {
        self.formula = formula
        self.label = label
        // A malformed formula in a rule table is a programming error, caught by the rule tests.
        mz = try! ChemicalFormula(formula).monoisotopicMass - ChemicalFormula.electronMass
    }
}

/// A neutral molecule lost from the precursor, named by formula (mass computed).
public struct NeutralLoss: Sendable, Hashable {
    public let formula: String
    public let label: String
    public let mass: Double

    public init(_ formula: String, _ label: String) {
        self.formula = formula
        self.label = label
        mass = try! ChemicalFormula(formula).monoisotopicMass
    }
}
