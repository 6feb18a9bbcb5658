import Foundation

/// What changed in a result from one version to the next: a substance found now and not before,
/// one no longer found, or one found in both at another concentration. Substances are compared by
/// catalogue id, else by the name as reported.
///
/// ```swift
/// let changes = FindingChange.changes(from: [original], to: [corrected])
/// // [.added("xylazine"), .concentrationChanged("fentanyl", from: 2.1 %, to: 1.2 %)]
/// ```
public enum FindingChange: Hashable, Sendable, CustomStringConvertible {
    case added(String)
    case removed(String)
    case concentrationChanged(String, from: Concentration?, to: Concentration?)

    /// The changes from the findings of `old` analyses to those of `new` ones (detected findings only).
    public static func changes(from old: [Analysis], to new: [Analysis]) -> [FindingChange] {
        let before = detected(old), after = detected(new)
        var changes: [FindingChange] = []
        for (key, f) in after.sorted(by: { $0.key < $1.key }) {
            guard let earlier = before[key] else { changes.append(.added(name(f))); continue }
            if earlier.concentration != f.concentration {
                changes.append(.concentrationChanged(name(f), from: earlier.concentration, to: f.concentration))
            }
        }
        for (key, f) in before.sorted(by: { $0.key < $1.key }) where after[key] == nil { changes.append(.removed(name(f))) }
        return changes
    }

    /// A result found twice in one version keeps its highest concentration.
    private static func detected(_ analyses: [Analysis]) -> [String: Finding] {
        var byKey: [String: Finding] = [:]
        for f in analyses.flatMap(\.findings) where f.detected {
            let key = f.substanceID ?? f.reportedName.lowercased()
            if let held = byKey[key], (held.concentration?.value ?? -1) >= (f.concentration?.value ?? -1) { continue }
            byKey[key] = f
        }
        return byKey
    }

    private static func name(_ f: Finding) -> String { f.substanceID ?? f.reportedName }

    public var description: String {
        switch self {
        case .added(let s): "+ \(s) found"
        case .removed(let s): "- \(s) no longer found"
        case let .concentrationChanged(s, from, to): "~ \(s) concentration \(Self.text(from)) → \(Self.text(to))"
        }
    }

    private static func text(_ c: Concentration?) -> String {
        c.map { "\($0.value.formatted()) \($0.unit.rawValue)" } ?? "none"
    }
}
