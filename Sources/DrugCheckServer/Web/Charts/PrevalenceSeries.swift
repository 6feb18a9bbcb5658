import DrugCheckModel
import DrugCheckReports

/// One week of a prevalence series: the proportion positive, its confidence bounds (the report's
/// 95% Wilson interval, or any other) and the samples tested. A week with nothing tested has no
/// proportion and is drawn as a gap.
///
/// ```swift
/// PrevalencePoint(week: ISOWeek("2026-W47")!, proportion: 0.25, lower: 0.09, upper: 0.53, tested: 12)
/// PrevalencePoint(report.trend[0])           // from the weekly report's trend
/// PrevalencePoint(week: "Nov", tested: 0)     // no samples: a gap
/// ```
struct PrevalencePoint: Sendable, Equatable {
    /// The label under the x axis and in the tooltip, e.g. `2026-W47`.
    var week: String
    /// 0–1; nil when nothing was tested.
    var proportion: Double?
    var lower: Double?
    var upper: Double?
    var tested: Int

    init(week: String, proportion: Double? = nil, lower: Double? = nil, upper: Double? = nil, tested: Int) {
        self.week = week
        self.proportion = proportion
        self.lower = lower
        self.upper = upper
        self.tested = tested
    }

    init(week: ISOWeek, proportion: Double? = nil, lower: Double? = nil, upper: Double? = nil, tested: Int) {
        self.init(week: week.description, proportion: proportion, lower: lower, upper: upper, tested: tested)
    }

    /// A week of `WeeklyReport.trend`, with its Wilson interval.
    init(_ point: WeeklyReport.TrendPoint) {
        self.init(week: point.week, proportion: point.prevalence, lower: point.ciLow, upper: point.ciHigh, tested: point.tested)
    }

    /// The proportion, clamped to 0–1, when the week had samples.
    var value: Double? {
        guard tested > 0, let proportion, proportion.isFinite else { return nil }
        return min(max(proportion, 0), 1)
    }

    /// The band's bounds, clamped to 0–1 and around the value; the value itself when a bound is missing.
    var band: (lower: Double, upper: Double)? {
        guard let value else { return nil }
        let low = lower.flatMap { $0.isFinite ? min(max($0, 0), value) : nil } ?? value
        let high = upper.flatMap { $0.isFinite ? max(min($0, 1), value) : nil } ?? value
        return (low, high)
    }

    /// `2026-W47: 25% (95% CI 9–53%), n = 12`, or `2026-W47: no samples (n = 0)`, in the words given.
    func tooltip(_ words: PrevalenceWords) -> String {
        guard let value, let band else { return "\(week): \(words.noSamples) (n = \(tested))" }
        let interval = lower != nil || upper != nil
            ? " (\(words.interval) \(SVGWriter.number(band.lower * 100))–\(SVGWriter.percent(band.upper)))" : ""
        return "\(week): \(SVGWriter.percent(value))\(interval), n = \(tested)"
    }
}

/// The words inside prevalence charts, English unless the page gives its language's.
struct PrevalenceWords: Sendable, Equatable {
    var noSamples = "no samples"
    /// The confidence interval's name, e.g. `95% CI`.
    var interval = "95% CI"
}

/// The weekly prevalence of one stratum (a drug class, a region…), oldest week first; the input
/// of ``SmallMultiples`` (one panel each) and ``TrendChart``.
///
/// ```swift
/// let series = PrevalenceSeries(label: "nitazene", points: report.trend.filter { $0.reportClass == .nitazene }.map(PrevalencePoint.init))
/// ```
struct PrevalenceSeries: Sendable, Equatable {
    var label: String
    var points: [PrevalencePoint]

    /// Runs of consecutive weeks with samples, as indices into `points`: a week without samples
    /// ends a run, so line and band show a gap there.
    var runs: [[Int]] {
        var runs: [[Int]] = []
        for i in points.indices where points[i].value != nil {
            if let last = runs.last?.last, last == i - 1 { runs[runs.count - 1].append(i) } else { runs.append([i]) }
        }
        return runs
    }

    /// The smallest of 5, 10, 20, 30, 50, 75 and 100% at or above every band's top in `series`:
    /// one y scale for panels drawn side by side.
    static func sharedMaximum(_ series: [PrevalenceSeries]) -> Double {
        let highest = series.flatMap(\.points).compactMap { $0.band?.upper }.max() ?? 0
        return [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0].first { $0 >= highest } ?? 1.0
    }
}
