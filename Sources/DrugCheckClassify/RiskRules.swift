import DrugCheckModel

/// Risk tiers from potency and concentration.
///
/// - critical: high-potency opioids (`Substance.isHighPotency`: nitazenes, carfentanil, ≥ `criticalPotency` × morphine), or a synthetic
///   opioid at a concentration above `highConcentrationPercent` / `highDosePerUnitMg`.
/// - high: any other synthetic opioid, or potency ≥ `highPotency` × morphine.
/// - moderate: classic opioids, xylazine/medetomidine, synthetic cannabinoids, benzodiazepines.
/// - low: any other detected active substance. none: nothing detected.
///
/// Potency thresholds follow the ranking in UNODC, "Global SMART Update" vol. 17 (2017) and
/// Ujváry et al., ACS Chem. Neurosci. 2021, 12, 1072–1092 (nitazenes often exceed fentanyl).
public struct RiskRules: Sendable, Codable {
    public var criticalPotency: Double = Potency.highMorphineMultiple
    public var highPotency: Double = 10
    public var highConcentrationPercent: Double = 10
    public var highDosePerUnitMg: Double = 1

    public init() {}

    public func tier(for detected: [(Substance, Concentration?)]) -> RiskTier {
        detected.map { tier(for: $0.0, concentration: $0.1) }.max() ?? .none
    }

    public func tier(for substance: Substance, concentration: Concentration?) -> RiskTier {
        let cls = substance.substanceClass
        if substance.isHighPotency(morphineMultiple: criticalPotency) { return .critical }
        if cls.isSyntheticOpioid {
            if let c = concentration, isHigh(c) { return .critical }
            return .high
        }
        if (substance.relativePotency ?? 0) >= highPotency { return .high }
        switch cls {
        case .classicOpioid, .xylazineMedetomidine, .syntheticCannabinoid, .benzodiazepine: return .moderate
        default: return .low
        }
    }

    func isHigh(_ c: Concentration) -> Bool {
        switch c.unit {
        case .percentWW: c.value >= highConcentrationPercent
        case .mgPerUnit: c.value >= highDosePerUnitMg
        case .mgPerML, .ngPerML: false
        }
    }
}
