import DrugCheckModel

/// Tolerances and intensity floors of the class rules; shown with every result.
public struct ClassRuleSettings: Sendable, Hashable, Codable {
    /// Accurate-mass window: the larger of `ppm` and `minimumDa`.
    public var ppm: Double = 10
    public var minimumDa: Double = 0.003
    /// Relative intensity (to the base peak) a scaffold ion needs.
    public var coreMinimumRelative: Double = 0.05
    /// Relative intensity a supporting ion needs.
    public var supportMinimumRelative: Double = 0.01
    /// Relative intensity of the nitazene side-chain iminium ion (a base or major peak in the refdata spectra).
    public var nitazeneAmineMinimumRelative: Double = 0.2
    /// Relative intensity of the EI companion ions.
    public var eiMinimumRelative: Double = 0.05
    /// Relative intensity both ions of the EI piperidine-ring pair (189 → 146 in fentanyl) need.
    public var eiPairMinimumRelative: Double = 0.1
    /// A "major" 4-anilidopiperidine product ion ([M+H − anilide]+ or the N-substituent cation) when it
    /// is not the strongest fragment.
    public var anilideMajorRelative: Double = 0.3
    /// Smallest [M+H − anilide]+ accepted without a second ion (above the amino-amide anaesthetic iminium ions, ≤ 140).
    public var anilideSingleIonMinimumMZ: Double = 150
    /// Smallest N-substituent cation counted (C7H7+ 91, the lightest aryl-alkyl cation).
    public var substituentCationMinimumMZ: Double = 91
    /// Nominal-mass (single-quadrupole) ESI: relative intensity of [M+H − anilide]+ …
    public var nominalCoreMinimumRelative: Double = 0.3
    /// … and of the supporting ion (both stricter than the accurate-mass floors, as integer m/z is less specific).
    public var nominalSupportMinimumRelative: Double = 0.05

    public init() {}

    func tolerance(_ mz: Double) -> Double { max(ppm * 1e-6 * mz, minimumDa) }
}

/// Why a rule put a spectrum in a class: the rule, the ions seen and the source of the rule.
public struct ClassEvidence: Sendable, Hashable, Codable {
    public var ruleID: String
    public var substanceClass: SubstanceClass
    /// Matched ions, e.g. `"C13H18N+ 188.1434 (phenethylpiperidine iminium)"`.
    public var ions: [String]
    public var citation: String

    enum CodingKeys: String, CodingKey {
        case ions, citation
        case ruleID = "rule_id"
        case substanceClass = "class"
    }
}

/// A fragment-based test for a substance class that needs no library entry.
public protocol ClassRule: Sendable {
    var id: String { get }
    var substanceClass: SubstanceClass { get }
    var citation: String { get }
    func evaluate(_ spectrum: Spectrum, peaks: PeakLookup, settings: ClassRuleSettings) -> ClassEvidence?
}

/// The versioned set of class rules. Results store `version` so they can be recomputed when it changes.
///
/// ```swift
/// let evidence = ClassRuleSet.standard.evaluate(spectrum) // [] or e.g. [nitazene-esi-1 …]
/// ```
public struct ClassRuleSet: Sendable {
    public var version: String
    public var rules: [any ClassRule]
    public var settings: ClassRuleSettings

    public init(version: String, rules: [any ClassRule], settings: ClassRuleSettings = ClassRuleSettings()) {
        self.version = version
        self.rules = rules
        self.settings = settings
    }

    public static let standard = ClassRuleSet(
        version: "rules-2026.2",
        rules: [NitazeneESIRule(), FentanylESIRule(), FentanylAnilideLossRule(), FentanylNominalESIRule(), FentanylEIRule()])

    public func evaluate(_ spectrum: Spectrum) -> [ClassEvidence] {
        let peaks = PeakLookup(spectrum)
        return rules.compactMap { $0.evaluate(spectrum, peaks: peaks, settings: settings) }
    }

    /// The same rules without one (for leave-one-rule-out checks and lab configuration).
    public func removing(ruleID: String) -> ClassRuleSet {
        ClassRuleSet(version: version + "-without-" + ruleID, rules: rules.filter { $0.id != ruleID }, settings: settings)
    }
}

extension DiagnosticIon {
    func describe(at observed: Double) -> String {
        "\(formula)+ \(String(format: "%.4f", mz)) (\(label); seen \(String(format: "%.4f", observed)))"
    }
}
