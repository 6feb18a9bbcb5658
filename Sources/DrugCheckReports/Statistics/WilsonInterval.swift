/// A 95% (by default) Wilson score interval for a binomial proportion, without continuity
/// correction: Newcombe (1998), Stat Med 17:857–872, method 3; the interval R's
/// `prop.test(x, n, correct = FALSE)` reports. Unlike the Wald interval it stays inside [0, 1]
/// and is informative for 0/n and n/n, which matters for the report's small cells.
///
/// ```swift
/// let ci = WilsonInterval(successes: 81, trials: 263)!
/// ci.lower // 0.2553
/// ci.upper // 0.3662
/// ```
public struct WilsonInterval: Hashable, Sendable {
    /// Standard normal quantile for a two-sided 95% interval, R `qnorm(0.975)` to 17 digits.
    public static let z95 = 1.9599639845400536

    public let successes: Int
    public let trials: Int
    public let lower: Double
    public let upper: Double

    /// The observed proportion `successes / trials`.
    public var estimate: Double { Double(successes) / Double(trials) }

    /// `nil` when there are no trials or the counts are impossible (negative, successes > trials).
    public init?(successes: Int, trials: Int, z: Double = WilsonInterval.z95) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        self.successes = successes
        self.trials = trials
        // Same arithmetic as R's prop.test (YATES = 0), including the exact 0 and 1 at the edges.
        let n = Double(trials)
        let p = Double(successes) / n
        let z22n = z * z / (2 * n)
        let halfWidth = z * (p * (1 - p) / n + z22n / (2 * n)).squareRoot()
        upper = p >= 1 ? 1 : (p + z22n + halfWidth) / (1 + 2 * z22n)
        lower = p <= 0 ? 0 : (p + z22n - halfWidth) / (1 + 2 * z22n)
    }

    /// Prevalence `positive / tested` with its 95% Wilson bounds; all nil when nothing was tested.
    public static func prevalence(positive: Int, tested: Int) -> (Double?, Double?, Double?) {
        let ci = WilsonInterval(successes: positive, trials: tested)
        return (tested > 0 ? Double(positive) / Double(tested) : nil, ci?.lower, ci?.upper)
    }
}
