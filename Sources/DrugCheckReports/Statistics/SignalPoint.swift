/// One week of an aberration-detection method's output, as R's `surveillance` reports it.
///
/// `upperbound` and `alarm` are `nil` where the method has too little history, and also where R
/// yields `NA` (EARS C3 over an all-constant baseline divides 0 by 0).
///
/// ```swift
/// let points = SignalMethod.earsC1.evaluate([2, 2, 3, 1, 4, 2, 3, 9])
/// points[7].alarm // true
/// ```
public struct SignalPoint: Hashable, Sendable {
    public var observed: Double
    public var upperbound: Double?
    public var alarm: Bool?

    public init(observed: Double, upperbound: Double?, alarm: Bool?) {
        self.observed = observed
        self.upperbound = upperbound
        self.alarm = alarm
    }
}

/// The aberration-detection methods of issue 5, with the `surveillance` package's parameters.
///
/// ```swift
/// SignalMethod(rawValue: "cusum")!.evaluate(weeklyCounts)
/// ```
public enum SignalMethod: String, CaseIterable, Codable, Sendable {
    case earsC1 = "ears-c1"
    case earsC2 = "ears-c2"
    case earsC3 = "ears-c3"
    case cusum

    /// First monitored week, 1-based, as in R.
    public var firstMonitoredWeek: Int {
        switch self {
        case .earsC1: EARS.baseline + 1
        case .earsC2: EARS.baseline + 3
        case .earsC3: EARS.baseline + 5
        case .cusum: CUSUM.referenceWeeks + 1
        }
    }

    /// Runs the method with its default parameters over consecutive weekly counts.
    public func evaluate(_ counts: [Double]) -> [SignalPoint] {
        switch self {
        case .earsC1: EARS.c1(counts)
        case .earsC2: EARS.c2(counts)
        case .earsC3: EARS.c3(counts)
        case .cusum: CUSUM.evaluate(counts)
        }
    }
}
