import DrugCheckModel
import DrugCheckStore

/// The strata of the weekly report: the total, then one dimension at a time.
struct StratumKey: Hashable, Comparable {
    enum Dimension: Int, Comparable {
        case all, sampleType, source, region, lab
        static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
    }

    var dimension: Dimension
    var value: String

    static let total = StratumKey(dimension: .all, value: WeeklyReport.all)

    /// The five strata a sample (or finding) counts in.
    static func keys(sampleType: String, source: String, region: String, lab: String) -> [StratumKey] {
        [total, .init(dimension: .sampleType, value: sampleType), .init(dimension: .source, value: source),
         .init(dimension: .region, value: region.isEmpty ? WeeklyReport.unknownRegion : region),
         .init(dimension: .lab, value: lab)]
    }

    /// `keys(sampleType:source:region:lab:)` remembered per combination (a report meets each
    /// combination in many rows).
    struct Cache {
        private var known: [ReportAggregateReader.Strata: [StratumKey]] = [:]

        mutating func keys(sampleType: String, source: String, region: String, lab: String) -> [StratumKey] {
            let strata = ReportAggregateReader.Strata(sampleType: sampleType, source: source, region: region, lab: lab)
            if let cached = known[strata] { return cached }
            let made = StratumKey.keys(sampleType: sampleType, source: source, region: region, lab: lab)
            known[strata] = made
            return made
        }
    }

    /// Fixed order: dimension, then the model's enum order for sample types and sources,
    /// alphabetical for regions (unknown last) and labs.
    static func < (l: Self, r: Self) -> Bool {
        if l.dimension != r.dimension { return l.dimension < r.dimension }
        return l.rank < r.rank
    }

    private var rank: (Int, String) {
        switch dimension {
        case .sampleType: (SampleType(rawValue: value).flatMap { SampleType.allCases.firstIndex(of: $0) } ?? Int.max, value)
        case .source: (SampleSource(rawValue: value).flatMap { SampleSource.allCases.firstIndex(of: $0) } ?? Int.max, value)
        case .region: (value == WeeklyReport.unknownRegion ? 1 : 0, value)
        case .all, .lab: (0, value)
        }
    }

    /// Whether the report runs the signal methods on this stratum (issue 5: per class and region).
    var hasSignals: Bool { dimension == .all || dimension == .region }

    func cell(_ reportClass: ReportClass, tested: Int, positive: Int) -> WeeklyReport.Cell {
        var cell = WeeklyReport.Cell(reportClass: reportClass, sampleType: dimension == .sampleType ? value : WeeklyReport.all,
                                     tested: tested, positive: positive)
        if dimension == .source { cell.source = value }
        if dimension == .region { cell.region = value }
        if dimension == .lab { cell.lab = value }
        return cell
    }
}

/// Counts of one stratum in one week.
struct StratumCounts {
    var tested = 0
    var analysedBasis = 0
    var positive = [Int](repeating: 0, count: ReportClass.allCases.count)
    var unexpected = [Int](repeating: 0, count: ReportClass.allCases.count)
    var provisionalTested = 0
    var provisionalPositive = [Int](repeating: 0, count: ReportClass.allCases.count)

    mutating func add(_ row: ReportAggregateReader.StratumRow) {
        tested += row.tested
        analysedBasis += row.analysedBasis
        provisionalTested += row.provisionalTested
        for k in positive.indices {
            positive[k] += row.positive[k]
            unexpected[k] += row.unexpected[k]
            provisionalPositive[k] += row.provisionalPositive[k]
        }
    }
}
