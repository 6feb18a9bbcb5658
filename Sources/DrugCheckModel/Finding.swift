/// Unit of a reported concentration.
public enum ConcentrationUnit: String, Codable, CaseIterable, Sendable {
    case percentWW = "%w/w"
    case mgPerML = "mg/mL"
    case mgPerUnit = "mg/unit"
    case ngPerML = "ng/mL"
}

/// A concentration with its unit.
public struct Concentration: Codable, Hashable, Sendable {
    public var value: Double
    public var unit: ConcentrationUnit

    public init(value: Double, unit: ConcentrationUnit) {
        self.value = value
        self.unit = unit
    }
}

/// One substance looked for in one analysis: found, or explicitly not found.
///
/// Negative findings matter: they are the denominators of prevalence.
public struct Finding: Codable, Hashable, Sendable {
    /// The name exactly as the lab reported it.
    public var reportedName: String
    /// Catalogue id when the name matched a catalogue substance.
    public var substanceID: String?
    public var detected: Bool
    public var concentration: Concentration?
    public var retentionTimeMinutes: Double?
    public var mz: Double?
    public var matchScore: Double?
    /// How sure the identification is.
    public var confidence: IdentificationConfidence?

    public init(reportedName: String, substanceID: String? = nil, detected: Bool,
                concentration: Concentration? = nil, retentionTimeMinutes: Double? = nil,
                mz: Double? = nil, matchScore: Double? = nil, confidence: IdentificationConfidence? = nil) {
        self.reportedName = reportedName
        self.substanceID = substanceID
        self.detected = detected
        self.concentration = concentration
        self.retentionTimeMinutes = retentionTimeMinutes
        self.mz = mz
        self.matchScore = matchScore
        self.confidence = confidence
    }
}
