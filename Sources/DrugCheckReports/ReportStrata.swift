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

    /// The strata an aggregate row counts in: a stratum's five, or a margin's one.
    static func keys(_ key: ReportAggregateReader.Key) -> [StratumKey] {
        switch key {
        case let .strata(s): keys(sampleType: s.sampleType, source: s.source, region: s.region, lab: s.lab)
        case let .margin(dimension, value): [margin(dimension: dimension, value: value)]
        }
    }

    /// The key of a stored margin (``ReportAggregateReader/Key/margin(dimension:value:)``).
    static func margin(dimension: String, value: String) -> StratumKey {
        switch dimension {
        case "sample_type": .init(dimension: .sampleType, value: value)
        case "source": .init(dimension: .source, value: value)
        case "region": .init(dimension: .region, value: value.isEmpty ? WeeklyReport.unknownRegion : value)
        case "lab": .init(dimension: .lab, value: value)
        default: total
        }
    }

    /// `keys(_:)` remembered per row key (a report meets each key in many rows).
    struct Cache {
        private var known: [ReportAggregateReader.Key: [StratumKey]] = [:]

        mutating func keys(_ key: ReportAggregateReader.Key) -> [StratumKey] {
            if let cached = known[key] { return cached }
            let made = StratumKey.keys(key)
            known[key] = made
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
