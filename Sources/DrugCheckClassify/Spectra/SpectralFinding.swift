import DrugCheckModel

/// The finding a spectrum identification adds to its sample, graded by DrugCheck.
///
/// A spectrum gives a finding when it was put in a class (library match, class rule, or class
/// rule with a catalogue mass) or matched a library entry at level 2a; a weak hit or an exact-mass
/// match alone (levels 3 without class, 5) is kept with the spectrum only. A library or mass
/// identification names its catalogue substance; a suspected new analogue has no substance and
/// is reported as "suspected new fentanyl analogue" (or nitazene…), which sets the sample's
/// `suspected_new_analogue`.
///
/// ```swift
/// let f = SpectralFinding.finding(result, spectrum: spectrum, catalogue: .bundled)
/// f?.confidence?.assessedBy // "drugcheck"
/// ```
public enum SpectralFinding {
    public static func finding(_ r: SpectrumIdentification, spectrum: Spectrum, catalogue: SubstanceCatalogue) -> Finding? {
        guard let level = r.level, r.substanceClass != .unknown || level == .level2a else { return nil }
        let substance = r.suspectedNewAnalogue ? nil : r.substance.flatMap { catalogue[$0] ?? catalogue.match($0) }
        let name: String
        if r.suspectedNewAnalogue {
            name = "suspected new " + r.substanceClass.rawValue.replacingOccurrences(of: "_", with: " ")
        } else {
            name = r.hits.first(where: { _ in level == .level2a })?.name ?? substance?.name ?? r.substance ?? r.substanceClass.rawValue
        }
        return Finding(reportedName: name, substanceID: substance?.id, detected: true,
                       retentionTimeMinutes: spectrum.retentionTimeSeconds.map { $0 / 60 }, mz: spectrum.precursorMZ,
                       matchScore: level == .level2a ? r.hits.first?.score : nil, confidence: r.confidence)
    }

    /// More confident level first, then the higher library score.
    public static func isBetter(_ a: Finding, than b: Finding) -> Bool {
        let la = a.confidence?.level ?? .level5, lb = b.confidence?.level ?? .level5
        if la != lb { return la < lb }
        return (a.matchScore ?? 0) > (b.matchScore ?? 0)
    }
}
