import DrugCheckModel
import Foundation

/// How a deployment releases results (ISO/IEC 17025): whether an imported result must be verified
/// by a second person before reports count it, and the labs' automatic rules that verify a result
/// on import (recorded as such, with the rule).
///
/// A JSON file (`--verification-config FILE`):
/// ```json
/// {"required": true,
///  "rules": [{"lab": "BE-DCA", "technique": "LC-HRMS", "minimumMatchScore": 0.9, "minimumLevel": "2a"}]}
/// ```
/// Without a file verification is not required: each result is verified on import by the rule
/// "verification not required by this deployment", so a deployment that does not use the
/// four-eyes step counts results at once, and says how.
public struct VerificationPolicy: Codable, Sendable {
    public var required: Bool
    public var rules: [AutomaticVerificationRule]

    public static let notRequired = VerificationPolicy(required: false, rules: [])
    static let notRequiredRule = "verification not required by this deployment"

    public init(required: Bool, rules: [AutomaticVerificationRule]) {
        self.required = required
        self.rules = rules
    }

    /// `rules` may be left out (`{"required": true}`: every result waits for a person).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        required = try c.decode(Bool.self, forKey: .required)
        rules = try c.decodeIfPresent([AutomaticVerificationRule].self, forKey: .rules) ?? []
    }

    /// Reads a policy file; nil path → ``notRequired``.
    public static func load(_ path: String?) throws -> VerificationPolicy {
        guard let path else { return .notRequired }
        do { return try JSONDecoder().decode(VerificationPolicy.self, from: Data(contentsOf: URL(fileURLWithPath: path))) } catch {
            throw VerificationPolicyError(message: "\(path): not a verification policy (\(error.localizedDescription)); expected {\"required\": true, \"rules\": [{\"lab\": …}]}")
        }
    }

    /// The verification an analysis of `lab` gets on import, or nil: it waits for a second person.
    public func onImport(_ analysis: Analysis, lab: String, at now: Date = Date()) -> Verification? {
        guard required else { return Verification(status: .verified, rule: Self.notRequiredRule, at: now) }
        return rules.first { $0.matches(analysis, lab: lab) }.map { Verification(status: .verified, rule: $0.description, at: now) }
    }

    /// `sample` with each analysis's verification on import.
    public func applied(to sample: Sample, at now: Date = Date()) -> Sample {
        var decided = sample
        for i in decided.analyses.indices where decided.analyses[i].verification == nil {
            decided.analyses[i].verification = onImport(decided.analyses[i], lab: sample.labCode, at: now)
        }
        return decided
    }
}

public struct VerificationPolicyError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A lab's rule that verifies a result on import: its technique, and every detected finding at
/// least as sure as the thresholds (library match score, Schymanski level).
public struct AutomaticVerificationRule: Codable, Sendable {
    public var lab: String
    public var technique: Technique?
    public var minimumMatchScore: Double?
    public var minimumLevel: SchymanskiLevel?

    public init(lab: String, technique: Technique? = nil, minimumMatchScore: Double? = nil, minimumLevel: SchymanskiLevel? = nil) {
        self.lab = lab
        self.technique = technique
        self.minimumMatchScore = minimumMatchScore
        self.minimumLevel = minimumLevel
    }

    /// The rule as recorded with each result it verified.
    public var description: String {
        ["automatic rule: lab \(lab)", technique.map { "technique \($0.rawValue)" },
         minimumMatchScore.map { "match score ≥ \($0)" }, minimumLevel.map { "level \($0.rawValue) or better" }]
            .compactMap { $0 }.joined(separator: ", ")
    }

    func matches(_ analysis: Analysis, lab: String) -> Bool {
        guard self.lab.caseInsensitiveCompare(lab) == .orderedSame, technique == nil || technique == analysis.technique else { return false }
        return analysis.findings.filter(\.detected).allSatisfy { f in
            (minimumMatchScore.map { min in f.matchScore.map { $0 >= min } ?? false } ?? true)
                && (minimumLevel.map { min in f.confidence?.level.map { $0 <= min } ?? false } ?? true)
        }
    }
}
