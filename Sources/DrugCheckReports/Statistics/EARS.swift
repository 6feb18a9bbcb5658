/// The CDC Early Aberration Reporting System methods C1, C2 and C3, computed exactly as R's
/// `surveillance::earsC` (version 1.20.3) does with `baseline = 7` and `minSigma = 0`, monitoring
/// every week from the first one the method allows (C1: week 8, C2: week 10, C3: week 12).
///
/// C3 follows the package's code, not its help page: the help page gives
/// U3(t) = Ȳ2(t) + S2(t)·(z − lags), the code (the reference) uses the observed count Y(t) in
/// place of Ȳ2(t) and floors the bound at 0.
///
/// ```swift
/// let weeks: [Double] = [2, 2, 3, 1, 4, 2, 3, 9, 1, 2, 12, 3]
/// EARS.c1(weeks)[7]           // observed 9, upperbound ≈ 5.444, alarm true
/// EARS.c3(weeks)[11].alarm    // true
/// ```
public enum EARS {
    /// Weeks in the sliding baseline (`earsC`'s `baseline`).
    public static let baseline = 7
    /// R `qnorm(1 - 0.001)`: `earsC`'s alpha for C1 and C2 when none is given.
    public static let z999 = 3.0902323061678132
    /// R `qnorm(1 - 0.025)`: `earsC`'s alpha for C3 when none is given.
    public static let z975 = 1.9599639845400536

    /// C1: the baseline is the 7 weeks just before week t.
    public static func c1(_ counts: [Double], zAlpha: Double = z999) -> [SignalPoint] {
        shewhart(counts, lag: 1, zAlpha: zAlpha)
    }

    /// C2: the baseline is the 7 weeks ending 3 weeks before week t (a 2-week guard band).
    public static func c2(_ counts: [Double], zAlpha: Double = z999) -> [SignalPoint] {
        shewhart(counts, lag: 3, zAlpha: zAlpha)
    }

    /// C3: C2's bound lowered by the excess of C2's statistic over 1 in the two previous weeks.
    public static func c3(_ counts: [Double], zAlpha: Double = z975) -> [SignalPoint] {
        let first = baseline + 4  // 0-based index of week 12
        return counts.indices.map { i in
            guard i >= first else { return SignalPoint(observed: counts[i], upperbound: nil, alarm: nil) }
            let lag2 = RArithmetic.max(0, c2Statistic(counts, at: i - 2) - 1)
            let lag1 = RArithmetic.max(0, c2Statistic(counts, at: i - 1) - 1)
            let sd = RArithmetic.sd(reference(counts, at: i, lag: 3))
            let bound = RArithmetic.max(0, counts[i] + sd * (zAlpha - (lag2 + lag1)))
            return point(counts[i], bound)
        }
    }

    /// The baseline window for the week at 0-based index `i`: `baseline` weeks ending `lag` before it.
    private static func reference(_ counts: [Double], at i: Int, lag: Int) -> ArraySlice<Double> {
        counts[(i - lag - baseline + 1)...(i - lag)]
    }

    /// (Y(t) − Ȳ2(t)) / S2(t); NaN or ±∞ when the baseline is constant, as in R.
    private static func c2Statistic(_ counts: [Double], at i: Int) -> Double {
        let window = reference(counts, at: i, lag: 3)
        return (counts[i] - RArithmetic.mean(window)) / RArithmetic.sd(window)
    }

    private static func shewhart(_ counts: [Double], lag: Int, zAlpha: Double) -> [SignalPoint] {
        counts.indices.map { i in
            guard i >= baseline + lag - 1 else { return SignalPoint(observed: counts[i], upperbound: nil, alarm: nil) }
            let window = reference(counts, at: i, lag: lag)
            return point(counts[i], RArithmetic.mean(window) + zAlpha * RArithmetic.sd(window))
        }
    }

    private static func point(_ observed: Double, _ bound: Double) -> SignalPoint {
        SignalPoint(observed: observed, upperbound: bound.isNaN ? nil : bound,
                    alarm: RArithmetic.greater(observed, bound))
    }
}
