import Foundation

/// The analytical technique behind a result. The raw values are the ones used in files.
public enum Technique: String, Codable, CaseIterable, Sendable {
    case gcms = "GC-MS"
    case lcmsms = "LC-MS/MS"
    case lchrms = "LC-HRMS"
    case ftir = "FTIR"
    case raman = "Raman"
    case nmr = "NMR"
    case immunoassay
    case testStrip = "test_strip"
    case other

    /// SWGDRUG Recommendations (v8.0, 2019), Part III-B: technique categories A (highest
    /// discriminating power: IR, MS, NMR, Raman…), B (GC, LC, …) and C (colour tests, immunoassay…).
    public var swgdrugCategory: SWGDRUGCategory {
        switch self {
        case .gcms, .lcmsms, .lchrms, .ftir, .raman, .nmr: .a
        case .immunoassay, .testStrip: .c
        case .other: .c
        }
    }
}

/// SWGDRUG analytical technique category.
public enum SWGDRUGCategory: String, Codable, Sendable, Comparable {
    case a = "A", b = "B", c = "C"

    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}

/// One measurement run on a sample.
public struct Analysis: Codable, Hashable, Sendable {
    public var technique: Technique
    public var instrument: String?
    public var method: String?
    public var analysedOn: CalendarDate?
    public var findings: [Finding]
    /// Whether a second person (or a lab's automatic rule) verified the result; nil until decided.
    public var verification: Verification?

    public init(technique: Technique, instrument: String? = nil, method: String? = nil,
                analysedOn: CalendarDate? = nil, findings: [Finding] = [], verification: Verification? = nil) {
        self.technique = technique
        self.instrument = instrument
        self.method = method
        self.analysedOn = analysedOn
        self.findings = findings
        self.verification = verification
    }

    /// `submitted` until a verification decided otherwise.
    public var status: ResultStatus { verification?.status ?? .submitted }
}

/// Where an analysis result stands: imported (`submitted`), released by a second person or a
/// lab's automatic rule (`verified`), or withdrawn with a reason (`rejected`).
public enum ResultStatus: String, Codable, CaseIterable, Sendable {
    case submitted, verified, rejected
}

/// Who decided about a result, how and when (ISO/IEC 17025: results are released by someone other
/// than the analyst who reported them).
///
/// ```swift
/// let check = Verification(status: .verified, verifiedBy: "an.peeters", at: Date())
/// let auto = Verification(status: .verified, rule: "BE-DCA LC-HRMS, match score ≥ 0.9", at: Date())
/// ```
public struct Verification: Codable, Hashable, Sendable {
    public var status: ResultStatus
    /// The person who verified or rejected it; nil when a rule did.
    public var verifiedBy: String?
    /// The automatic rule that verified it, as configured.
    public var rule: String?
    public var at: Date?
    /// Why it was rejected.
    public var reason: String?

    public init(status: ResultStatus, verifiedBy: String? = nil, rule: String? = nil, at: Date? = nil, reason: String? = nil) {
        self.status = status
        self.verifiedBy = verifiedBy
        self.rule = rule
        self.at = at
        self.reason = reason
    }
}

extension Analysis {
    /// Whether two analyses are the same run: same technique, instrument, method and date. Rows of a
    /// file that share these are one analysis; a later file's run replaces the stored one.
    public func sameRun(as other: Analysis) -> Bool {
        technique == other.technique && instrument == other.instrument && method == other.method && analysedOn == other.analysedOn
    }
}
