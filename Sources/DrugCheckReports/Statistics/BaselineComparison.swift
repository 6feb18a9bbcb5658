/// A week's prevalence against the mean prevalence of the weeks just before it.
///
/// Weeks without samples have no prevalence and are left out of the mean; with no usable week
/// there is no baseline. `change` is in proportion units (0.05 = five percentage points).
///
/// ```swift
/// let c = BaselineComparison(current: 0.30, previous: [0.20, nil, 0.25, 0.15])
/// c.baseline // 0.2
/// c.change   // 0.1 (up ten percentage points)
/// ```
public struct BaselineComparison: Hashable, Sendable {
    /// How many previous weeks the report compares against (issue 5: the previous 4 weeks).
    public static let defaultWeeks = 4

    public let baseline: Double?
    public let change: Double?

    /// `previous` holds the prevalences of the preceding weeks (any order), `nil` for empty weeks.
    public init(current: Double?, previous: [Double?]) {
        let usable = previous.compactMap { $0 }
        baseline = usable.isEmpty ? nil : usable.reduce(0, +) / Double(usable.count)
        if let current, let baseline { change = current - baseline } else { change = nil }
    }
}
