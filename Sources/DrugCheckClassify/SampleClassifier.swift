import DrugCheckModel
import Foundation

/// Turns a sample's findings into what they mean for surveillance: which report classes it is
/// positive for, whether the opioid was unexpected, and how dangerous the sample is.
///
/// ```swift
/// let classifier = SampleClassifier(catalogue: .bundled)
/// let sample = classifier.resolveNames(in: rawSample)
/// let classification = classifier.classify(sample)
/// ```
/// Each step is a small pure function over the sample, so the rules can be read and tested alone.
public struct SampleClassifier: Sendable {
    public let catalogue: SubstanceCatalogue
    public let risk: RiskRules

    /// Changes whenever the rules below change, so stored results say which rules produced them.
    public static let rulesVersion = "classes-2"

    public init(catalogue: SubstanceCatalogue, risk: RiskRules = .init()) {
        self.catalogue = catalogue
        self.risk = risk
    }

    public var version: String { "\(Self.rulesVersion)+catalogue-\(catalogue.version)" }

    /// Links reported names (findings and sold-as) to catalogue substances. Unknown names stay as reported.
    public func resolveNames(in sample: Sample) -> Sample {
        var resolved = sample
        if let soldAs = sample.soldAs { resolved.soldAsSubstanceID = catalogue.match(soldAs)?.id }
        for a in resolved.analyses.indices {
            let technique = resolved.analyses[a].technique
            for f in resolved.analyses[a].findings.indices {
                var finding = resolved.analyses[a].findings[f]
                if finding.substanceID == nil { finding.substanceID = catalogue.match(finding.reportedName)?.id }
                if finding.confidence == nil {
                    // A name-only result keeps the lab's identification; DrugCheck adds the technique's category.
                    finding.confidence = IdentificationConfidence(level: nil, swgdrugCategory: technique.swgdrugCategory,
                                                                  assessedBy: "lab", basis: "reported by the lab (\(technique.rawValue))")
                }
                resolved.analyses[a].findings[f] = finding
            }
        }
        return resolved
    }

    /// Reported names that matched no catalogue substance (detected findings only).
    public func unmatchedNames(in sample: Sample) -> [String] {
        sample.findings.filter { $0.detected && $0.substanceID == nil }.map(\.reportedName)
    }

    /// The classification to store for a sample, from its counted (not rejected) results; nil
    /// for a sample registered but not yet analysed, or whose every result was rejected: it has
    /// no result to classify, and reports count only tested samples.
    public func classification(of sample: Sample) -> SampleClassification? {
        var counted = sample
        counted.analyses = sample.countedAnalyses
        return counted.analyses.isEmpty ? nil : classify(counted)
    }

    public func classify(_ sample: Sample) -> SampleClassification {
        let detected = detectedActives(in: sample)
        let classes = ReportClass.positive(for: detected)
        let top = Potency.mostPotent(detected)
        let suspected = sample.findings.contains { $0.detected && $0.confidence?.level == .level2b && $0.substanceID == nil }
        return SampleClassification(
            positiveClasses: classes,
            unexpected: isUnexpected(sample, positiveClasses: classes),
            riskTier: risk.tier(for: detectedWithConcentration(in: sample)),
            highestPotencySubstanceID: top?.id,
            suspectedNewAnalogue: suspected,
            rulesVersion: version
        )
    }

    /// Detected catalogue substances that are drugs in their own right (not precursors or metabolites).
    func detectedActives(in sample: Sample) -> [Substance] {
        sample.findings.filter(\.detected).compactMap { $0.substanceID.flatMap { catalogue[$0] } }.filter { $0.role == .active }
    }

    func detectedWithConcentration(in sample: Sample) -> [(Substance, Concentration?)] {
        sample.findings.filter(\.detected).compactMap { f in
            f.substanceID.flatMap { catalogue[$0] }.flatMap { $0.role == .active ? ($0, f.concentration) : nil }
        }
    }

    /// A synthetic opioid is unexpected in any vape refill or e-liquid, and wherever the sample was
    /// sold as something that is not an opioid. An unknown or empty sold-as is not evidence either way.
    func isUnexpected(_ sample: Sample, positiveClasses: Set<ReportClass>) -> Bool {
        guard positiveClasses.contains(.anySyntheticOpioid) else { return false }
        if sample.type == .vapeRefill || sample.type == .eLiquid { return true }
        guard let soldAs = sample.soldAs, !SoldAs.isUnknown(soldAs) else { return false }
        if let id = sample.soldAsSubstanceID, let substance = catalogue[id] { return !substance.substanceClass.isOpioid }
        return !SoldAs.mentionsOpioid(soldAs)
    }
}

/// Reading the free-text sold-as field.
enum SoldAs {
    static let unknownWords: Set<String> = ["", "unknown", "onbekend", "inconnu", "unbekannt", "none", "na", "n/a", "?", "-"]
    /// Words by which a buyer expects an opioid (English, Dutch, French, German street terms).
    static let opioidWords = ["heroin", "heroine", "héroïne", "fent", "opio", "opia", "oxy", "morphin", "methadon",
                              "nitazen", "tramadol", "codein", "dope", "brown", "bruin", "percocet", "opium"]

    static func isUnknown(_ text: String) -> Bool { unknownWords.contains(text.trimmed.lowercased()) }

    static func mentionsOpioid(_ text: String) -> Bool {
        let lower = text.lowercased()
        return opioidWords.contains { lower.contains($0) }
    }
}
