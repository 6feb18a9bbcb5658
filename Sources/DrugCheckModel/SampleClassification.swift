/// The classes the weekly report counts. `any_synthetic_opioid` is the union of the fentanyls,
/// nitazenes and other novel synthetic opioids; medicinal opioids count as `classic_opioid`.
public enum ReportClass: String, Codable, CaseIterable, Sendable {
    case anySyntheticOpioid = "any_synthetic_opioid"
    case fentanylAnalogue = "fentanyl_analogue"
    case nitazene
    case otherNSO = "other_nso"
    case classicOpioid = "classic_opioid"
    case xylazineMedetomidine = "xylazine_medetomidine"
    case syntheticCannabinoid = "synthetic_cannabinoid"

    /// The report class a substance class counts towards, other than `any_synthetic_opioid`.
    public init?(_ substanceClass: SubstanceClass) {
        switch substanceClass {
        case .fentanylAnalogue: self = .fentanylAnalogue
        case .nitazene: self = .nitazene
        case .otherNSO: self = .otherNSO
        case .classicOpioid: self = .classicOpioid
        case .xylazineMedetomidine: self = .xylazineMedetomidine
        case .syntheticCannabinoid: self = .syntheticCannabinoid
        default: return nil
        }
    }

    /// Every report class a substance of `substanceClass` counts in: its own and, for the
    /// fentanyls, nitazenes and other novel synthetic opioids, `any_synthetic_opioid`; in `allCases` order.
    ///
    /// ```swift
    /// ReportClass.classes(of: .nitazene) // [.anySyntheticOpioid, .nitazene]
    /// ```
    public static func classes(of substanceClass: SubstanceClass) -> [ReportClass] {
        allCases.filter { $0.contains(substanceClass) }
    }

    /// Whether a substance of `substanceClass` counts in this report class.
    public func contains(_ substanceClass: SubstanceClass) -> Bool {
        self == .anySyntheticOpioid ? substanceClass.isSyntheticOpioid : self == ReportClass(substanceClass)
    }

    /// The report classes a set of detected substances makes a sample positive for.
    public static func positive(for substances: some Sequence<Substance>) -> Set<ReportClass> {
        Set(substances.flatMap { classes(of: $0.substanceClass) })
    }
}

/// How dangerous a sample is, from the potency of what it contains and how much.
public enum RiskTier: String, Codable, CaseIterable, Sendable, Comparable {
    case none, low, moderate, high, critical

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (l: Self, r: Self) -> Bool { l.order < r.order }
}

/// What a sample's findings mean for surveillance. Derived from the findings and the catalogue,
/// so it can be recomputed whenever either changes; `rulesVersion` says which rules produced it.
public struct SampleClassification: Codable, Hashable, Sendable {
    /// Report classes with at least one detected active substance.
    public var positiveClasses: Set<ReportClass>
    /// A synthetic opioid where none was expected: a non-opioid sold-as, or any vape refill / e-liquid.
    public var unexpected: Bool
    public var riskTier: RiskTier
    /// Catalogue id of the most potent detected substance.
    public var highestPotencySubstanceID: String?
    /// A spectrum matched an opioid class's fragment rules but no library entry.
    public var suspectedNewAnalogue: Bool
    public var rulesVersion: String

    public init(positiveClasses: Set<ReportClass>, unexpected: Bool, riskTier: RiskTier,
                highestPotencySubstanceID: String? = nil, suspectedNewAnalogue: Bool = false, rulesVersion: String) {
        self.positiveClasses = positiveClasses
        self.unexpected = unexpected
        self.riskTier = riskTier
        self.highestPotencySubstanceID = highestPotencySubstanceID
        self.suspectedNewAnalogue = suspectedNewAnalogue
        self.rulesVersion = rulesVersion
    }

    public func isPositive(for reportClass: ReportClass) -> Bool { positiveClasses.contains(reportClass) }

    public var syntheticOpioidPositive: Bool { positiveClasses.contains(.anySyntheticOpioid) }

    private enum CodingKeys: String, CodingKey {
        case positiveClasses, unexpected, riskTier, highestPotencySubstanceID, suspectedNewAnalogue, rulesVersion
    }

    /// The classes in `ReportClass.allCases` order: a set's own order changes from run to run.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ReportClass.allCases.filter(positiveClasses.contains), forKey: .positiveClasses)
        try container.encode(unexpected, forKey: .unexpected)
        try container.encode(riskTier, forKey: .riskTier)
        try container.encodeIfPresent(highestPotencySubstanceID, forKey: .highestPotencySubstanceID)
        try container.encode(suspectedNewAnalogue, forKey: .suspectedNewAnalogue)
        try container.encode(rulesVersion, forKey: .rulesVersion)
    }
}
