import DrugCheckModel

/// The class `drugcheck identify` reports for a spectrum.
public enum IdentifiedClass: String, Codable, Sendable, CaseIterable {
    case fentanylAnalogue = "fentanyl_analogue"
    case nitazene
    case otherNSO = "other_nso"
    case classicOpioid = "classic_opioid"
    case nonOpioid = "non_opioid"
    case unknown

    public init(_ substanceClass: SubstanceClass?) {
        switch substanceClass {
        case .fentanylAnalogue: self = .fentanylAnalogue
        case .nitazene: self = .nitazene
        case .otherNSO: self = .otherNSO
        case .classicOpioid: self = .classicOpioid
        case nil: self = .unknown
        default: self = .nonOpioid
        }
    }

    public var isOpioid: Bool { [.fentanylAnalogue, .nitazene, .otherNSO, .classicOpioid].contains(self) }
}

/// One library hit as reported.
public struct ReportedHit: Codable, Sendable, Hashable {
    public var name: String
    public var score: Double
    public var matchedPeaks: Int
    public var substanceClass: String?
    public var source: String
    public var licence: String
    /// The library (`name version`) the hit belongs to.
    public var library: String

    enum CodingKeys: String, CodingKey {
        case name, score, source, licence, library
        case matchedPeaks = "matched_peaks"
        case substanceClass = "class"
    }
}

/// An exact-mass candidate from the catalogue.
public struct MassCandidate: Codable, Sendable, Hashable {
    public var substanceID: String
    public var errorPPM: Double

    enum CodingKeys: String, CodingKey {
        case substanceID = "substance_id"
        case errorPPM = "error_ppm"
    }
}

/// What DrugCheck concludes about one spectrum, with the evidence and its confidence.
///
/// ```swift
/// let result = SpectrumIdentifier(library: reference.library, catalogue: reference.catalogue).identify(spectrum)
/// result.substanceClass // .nitazene; result.level // .level2b; result.suspectedNewAnalogue // true
/// ```
public struct SpectrumIdentification: Codable, Sendable {
    public var spectrum: String
    public var name: String?
    public var substanceClass: IdentifiedClass
    public var suspectedNewAnalogue: Bool
    /// `nil` when nothing could be said about the spectrum.
    public var level: SchymanskiLevel?
    public var swgdrugCategory: SWGDRUGCategory
    /// Identified substance (best accepted library hit or single exact-mass candidate).
    public var substance: String?
    public var basis: String
    public var hits: [ReportedHit]
    public var evidence: [ClassEvidence]
    public var massCandidates: [MassCandidate]
    public var libraryVersion: String
    public var rulesVersion: String

    enum CodingKeys: String, CodingKey {
        case spectrum, name, level, substance, basis, hits, evidence
        case substanceClass = "class"
        case suspectedNewAnalogue = "suspected_new_analogue"
        case swgdrugCategory = "swgdrug_category"
        case massCandidates = "mass_candidates"
        case libraryVersion = "library_version"
        case rulesVersion = "rules_version"
    }

    /// As a `Finding` confidence, for storing with a sample.
    public var confidence: IdentificationConfidence {
        IdentificationConfidence(level: level, swgdrugCategory: swgdrugCategory, assessedBy: "drugcheck", basis: basis)
    }
}
