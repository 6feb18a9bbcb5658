/// Identification confidence after Schymanski et al., "Identifying Small Molecules via High
/// Resolution Mass Spectrometry: Communicating Confidence", Environ. Sci. Technol. 2014, 48, 2097–2098
/// (doi:10.1021/es5002105).
public enum SchymanskiLevel: String, Codable, CaseIterable, Sendable, Comparable {
    /// Confirmed structure: reference standard measured on the same method.
    case level1 = "1"
    /// Probable structure by library spectrum match.
    case level2a = "2a"
    /// Probable structure by diagnostic evidence (class fragments), no library entry.
    case level2b = "2b"
    /// Tentative candidate(s).
    case level3 = "3"
    /// Unequivocal molecular formula.
    case level4 = "4"
    /// Exact mass of interest only.
    case level5 = "5"

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    /// Lower is more confident: level 1 < level 5.
    public static func < (l: Self, r: Self) -> Bool { l.order < r.order }
}

/// How a finding was identified, stated per finding.
public struct IdentificationConfidence: Codable, Hashable, Sendable {
    /// `nil` when the lab stated the identification without the evidence DrugCheck could grade.
    public var level: SchymanskiLevel?
    public var swgdrugCategory: SWGDRUGCategory?
    /// Who graded it: `lab` (stated by the submitting lab) or `drugcheck` (computed from spectra).
    public var assessedBy: String
    /// Short human-readable basis, e.g. "library match cos 0.93 to fentanyl (MassBank AU154501)".
    public var basis: String?

    public init(level: SchymanskiLevel?, swgdrugCategory: SWGDRUGCategory?, assessedBy: String, basis: String? = nil) {
        self.level = level
        self.swgdrugCategory = swgdrugCategory
        self.assessedBy = assessedBy
        self.basis = basis
    }
}
