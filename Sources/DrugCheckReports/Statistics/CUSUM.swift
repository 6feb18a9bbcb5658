/// The CUSUM method of R's `surveillance::algo.cusum` (version 1.20.3) with its defaults
/// `k = 1.04`, `h = 2.26`, `trans = "standard"`, the reference mean m taken as the mean of
/// weeks 1–7 and monitoring from week 8 to the end.
///
/// Each monitored count x is standardised as (x − m)/√m and accumulated as
/// Sₜ = max(0, Sₜ₋₁ + (xₜ − m)/√m − k); week t alarms when Sₜ ≥ h. The upper bound is the
/// smallest count that would have alarmed: ⌈√m·(h + k − Sₜ₋₁) + m⌉, floored at 0 (and 0 where R
/// computes NA, e.g. m = 0).
///
/// ```swift
/// let points = CUSUM.evaluate([2, 2, 3, 1, 4, 2, 3, 9, 1, 2, 12, 3])
/// points[7].upperbound // 8
/// points[7].alarm      // true
/// ```
public enum CUSUM {
    public static let k = 1.04
    public static let h = 2.26
    /// Weeks averaged into the reference mean m; monitoring starts the week after.
    public static let referenceWeeks = 7

    public static func evaluate(_ counts: [Double]) -> [SignalPoint] {
        run(counts).map(\.point)
    }

    /// The cumulative sum Sₜ per week (`nil` before week 8, and where R gives NA).
    public static func statistic(_ counts: [Double]) -> [Double?] {
        run(counts).map { $0.sum.isNaN ? nil : $0.sum }
    }

    private static func run(_ counts: [Double]) -> [(point: SignalPoint, sum: Double)] {
        guard counts.count > referenceWeeks else {
            return counts.map { (SignalPoint(observed: $0, upperbound: nil, alarm: nil), .nan) }
        }
        let m = RArithmetic.mean(counts[..<referenceWeeks])
        var previous = 0.0
        return counts.enumerated().map { index, x in
            guard index >= referenceWeeks else { return (SignalPoint(observed: x, upperbound: nil, alarm: nil), .nan) }
            let standardised = (x - m) / m.squareRoot()
            let sum = RArithmetic.max(0, previous + (standardised - k))
            var bound = (m.squareRoot() * (h + k - previous) + m).rounded(.up)
            if bound.isNaN || bound < 0 { bound = 0 }
            previous = sum
            return (SignalPoint(observed: x, upperbound: bound, alarm: RArithmetic.greater(sum, h, orEqual: true)), sum)
        }
    }
}
