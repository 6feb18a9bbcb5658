import DrugCheckModel
import Foundation

/// Confidence thresholds; every identification prints them (`IdentificationThresholds.summary`).
public struct IdentificationThresholds: Sendable, Codable, Hashable {
    /// Cosine score at or above which the top library hit is accepted (Schymanski level 2a).
    public var libraryMatchScore: Double = 0.7
    /// Matched peaks the accepted hit needs; fewer make it a tentative candidate (level 3).
    public var minimumMatchedPeaks: Int = 2
    /// ppm window for precursor [M+H]+ against catalogue masses.
    public var exactMassPPM: Double = 10
    /// Hits listed per spectrum.
    public var top: Int = 5

    public init() {}

    public var summary: String {
        "library match ≥ \(libraryMatchScore) cosine with ≥ \(minimumMatchedPeaks) matched peaks → 2a; class rule only → 2b; "
            + "rule + catalogue mass candidate or weak hit → 3; precursor within \(exactMassPPM) ppm of a catalogue [M+H]+ → 5"
    }
}

/// Library search + exact mass + class rules → class, suspected-new flag and Schymanski level.
///
/// Decision (in order): an accepted library hit gives its class (2a); otherwise a class rule gives
/// the class — with a catalogue substance of that class at the precursor mass it is a tentative
/// candidate (3), without one it is a **suspected new analogue** (2b); otherwise a weak hit or a
/// mass match is reported without a class (3 / 5). SWGDRUG category A: MS is a category-A technique
/// (SWGDRUG Recommendations v8.0, Part III-B).
///
/// ```swift
/// let identifier = SpectrumIdentifier(library: reference.library, catalogue: reference.catalogue)
/// print(identifier.identify(spectrum).substanceClass)
/// ```
public struct SpectrumIdentifier: Sendable {
    public var library: ReferenceLibrary
    public var rules: ClassRuleSet
    public var catalogue: SubstanceCatalogue
    public var thresholds: IdentificationThresholds

    public init(library: ReferenceLibrary, rules: ClassRuleSet = .standard, catalogue: SubstanceCatalogue = .bundled,
                thresholds: IdentificationThresholds = IdentificationThresholds()) {
        self.library = library
        self.rules = rules
        self.catalogue = catalogue
        self.thresholds = thresholds
    }

    public func identify(_ raw: Spectrum) -> SpectrumIdentification {
        let spectrum = SpectrumPipeline.librarySearch.apply(raw)
        let hits = spectrum.map { library.search($0, top: thresholds.top) } ?? []
        let reported = hits.map { hit -> ReportedHit in
            let e = library.entries[hit.entry]
            return ReportedHit(name: e.name, score: (hit.score * 1e6).rounded() / 1e6, matchedPeaks: hit.matchedPeaks,
                               substanceClass: e.substanceClass?.rawValue, source: e.source, licence: e.licence,
                               library: e.library)
        }
        let evidence = spectrum.map(rules.evaluate) ?? []
        let candidates = massCandidates(raw)
        var result = SpectrumIdentification(
            spectrum: raw.id, name: raw.name, substanceClass: .unknown, suspectedNewAnalogue: false, level: nil,
            swgdrugCategory: .a, substance: nil, basis: "no library hit, class rule or mass match", hits: reported,
            evidence: evidence, massCandidates: candidates, libraryVersion: "\(library.name) \(library.version)",
            rulesVersion: rules.version)

        if let best = hits.first, best.score >= thresholds.libraryMatchScore, best.matchedPeaks >= thresholds.minimumMatchedPeaks {
            let entry = library.entries[best.entry]
            result.substanceClass = IdentifiedClass(entry.substanceClass)
            result.level = .level2a
            result.substance = entry.substanceID ?? entry.name
            result.basis = String(format: "library match cos %.3f (%d peaks) to %@ (%@)", best.score, best.matchedPeaks,
                                  entry.name, entry.source)
            return result
        }
        if let rule = evidence.first {
            result.substanceClass = IdentifiedClass(rule.substanceClass)
            let sameClass = candidates.filter { catalogue[$0.substanceID]?.substanceClass == rule.substanceClass }
            if let known = sameClass.first {
                result.level = .level3
                result.substance = known.substanceID
                result.basis = "class rule \(rule.ruleID) and precursor \(String(format: "%.1f", known.errorPPM)) ppm from \(known.substanceID) [M+H]+; no library spectrum"
            } else {
                result.level = .level2b
                result.suspectedNewAnalogue = true
                result.basis = "suspected new \(rule.substanceClass.rawValue): class rule \(rule.ruleID), no library match"
            }
            return result
        }
        if let best = hits.first, best.score >= thresholds.libraryMatchScore {
            let entry = library.entries[best.entry]
            result.level = .level3
            result.substance = entry.substanceID ?? entry.name
            result.basis = String(format: "tentative: cos %.3f to %@ on only %d matched peak(s)", best.score, entry.name, best.matchedPeaks)
        } else if let first = candidates.first {
            result.level = .level5
            result.basis = "precursor matches catalogue [M+H]+ of \(candidates.map(\.substanceID).joined(separator: ", ")) (\(String(format: "%.1f", first.errorPPM)) ppm)"
        }
        return result
    }

    /// Catalogue substances whose [M+H]+ matches the precursor (positive mode, [M+H]+ or unstated type).
    func massCandidates(_ s: Spectrum) -> [MassCandidate] {
        guard let p = s.precursorMZ, s.polarity != .negative,
              (s.metadata[SpectrumMetadataKey.precursorType] ?? "[M+H]+").replacingOccurrences(of: " ", with: "") == "[M+H]+"
        else { return [] }
        return catalogue.candidates(protonatedMZ: p, ppm: thresholds.exactMassPPM)
            .map { MassCandidate(substanceID: $0.substance.id, errorPPM: ($0.errorPPM * 100).rounded() / 100) }
    }
}
