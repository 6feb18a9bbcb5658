/// Helpers that reproduce R's base arithmetic where it differs from Swift's, so the signal
/// methods give the same numbers as `surveillance` (including its `NA`s).
enum RArithmetic {
    /// R's `mean`: the sum over n, refined by a second pass over the residuals.
    static func mean<C: Collection<Double>>(_ values: C) -> Double {
        let n = Double(values.count)
        let first = values.reduce(0, +) / n
        return first + values.reduce(0) { $0 + ($1 - first) } / n
    }

    /// R's `sd`: sample standard deviation (n − 1 denominator), two-pass.
    static func sd<C: Collection<Double>>(_ values: C) -> Double {
        let m = mean(values)
        let squares = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// R's `max(a, b)` / `pmax(a, b)`: NaN propagates (Swift's `max` would drop it).
    static func max(_ a: Double, _ b: Double) -> Double {
        if a.isNaN { return a }
        if b.isNaN { return b }
        return Swift.max(a, b)
    }

    /// R's `x > y` / `x >= y` on doubles: `NA` (nil) when either side is NaN.
    static func greater(_ x: Double, _ y: Double, orEqual: Bool = false) -> Bool? {
        if x.isNaN || y.isNaN { return nil }
        return orEqual ? x >= y : x > y
    }
}
