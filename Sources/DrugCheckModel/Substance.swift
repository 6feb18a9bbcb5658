/// The chemical class a catalogue substance belongs to.
public enum SubstanceClass: String, Codable, CaseIterable, Sendable {
    case fentanylAnalogue = "fentanyl_analogue"
    case nitazene
    /// Novel synthetic opioids outside the two big series (brorphine, U-47700, MT-45…).
    case otherNSO = "other_nso"
    /// Opiates and medicinal opioids (heroin, morphine, methadone, tramadol…).
    case classicOpioid = "classic_opioid"
    /// Veterinary alpha-2 agonists found as opioid adulterants.
    case xylazineMedetomidine = "xylazine_medetomidine"
    case syntheticCannabinoid = "synthetic_cannabinoid"
    case cannabinoid
    case stimulant
    case benzodiazepine
    case dissociative
    case psychedelic
    /// Cutting agents and diluents (caffeine, paracetamol, levamisole, lidocaine…).
    case cuttingAgent = "cutting_agent"
    case other

    /// Fentanyls, nitazenes and other novel synthetic opioids: the opioids of early-warning concern.
    public var isSyntheticOpioid: Bool { [.fentanylAnalogue, .nitazene, .otherNSO].contains(self) }
    public var isOpioid: Bool { isSyntheticOpioid || self == .classicOpioid }
}

/// What a substance usually is in a street sample.
public enum SubstanceRole: String, Codable, Sendable {
    /// The psychoactive substance itself.
    case active
    /// A synthesis precursor or by-product (4-ANPP, NPP): evidence of manufacture, not a drug.
    case precursor
    /// A metabolite (norfentanyl, 6-MAM): expected in biological samples.
    case metabolite
    /// A diluent or cutting agent.
    case cut
}

/// A catalogue entry: one substance with the names labs use for it.
public struct Substance: Codable, Hashable, Sendable {
    /// Stable id, lowercase, e.g. `fentanyl`, `n-pyrrolidino-etonitazene`.
    public var id: String
    public var name: String
    public var synonyms: [String]
    /// Hill-order molecular formula of the neutral free base, e.g. `C22H28N2O`.
    public var formula: String
    public var substanceClass: SubstanceClass
    public var role: SubstanceRole
    public var inchiKey: String?
    /// Potency relative to morphine (morphine = 1), where published.
    public var relativePotency: Double?
    /// Citation for `relativePotency`.
    public var potencySource: String?
    /// Citation for the formula / structure record.
    public var source: String

    enum CodingKeys: String, CodingKey {
        case id, name, synonyms, formula, role, source
        case substanceClass = "class"
        case inchiKey = "inchikey"
        case relativePotency = "relative_potency"
        case potencySource = "potency_source"
    }

    public init(id: String, name: String, synonyms: [String] = [], formula: String, substanceClass: SubstanceClass,
                role: SubstanceRole = .active, inchiKey: String? = nil, relativePotency: Double? = nil,
                potencySource: String? = nil, source: String) {
        self.id = id
        self.name = name
        self.synonyms = synonyms
        self.formula = formula
        self.substanceClass = substanceClass
        self.role = role
        self.inchiKey = inchiKey
        self.relativePotency = relativePotency
        self.potencySource = potencySource
        self.source = source
    }

    /// Monoisotopic mass of the neutral molecule, computed from the formula.
    public var monoisotopicMass: Double? { try? ChemicalFormula(formula).monoisotopicMass }

    /// m/z of the protonated molecule [M+H]+.
    public var protonatedMass: Double? { monoisotopicMass.map { $0 + ChemicalFormula.protonMass } }
}
