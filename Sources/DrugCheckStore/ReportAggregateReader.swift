import DrugCheckModel
import GRDB

/// Reads what the weekly report needs from the store's maintained aggregates, each by a
/// primary-key range on the week: the weekly stratum counts (`report_week_stratum`), the report
/// week's substances and concentration histograms per stratum (`report_week_substance`,
/// `report_week_concentration`) and first-seen substances (`report_substance_week`). No query
/// reads samples or findings. The report stage reads the store's tables only through this.
///
/// The report of every region reads the same figures rolled up per dimension (``WeekRollups``:
/// ~30 rows a week instead of ~1,000 strata); one region's report reads that region's strata.
///
/// ```swift
/// let rows = try ReportAggregateReader(database: db).counts(from: ISOWeek("2026-W36")!, through: ISOWeek("2026-W47")!, region: nil)
/// ```
public struct ReportAggregateReader: Sendable {
    /// What an aggregate row counts: one stratum (it counts in the total and in each of its
    /// dimensions' values), or one dimension's value summed over the others (a margin; dimension
    /// `all`, `sample_type`, `source`, `region` or `lab`; region `''` = none given).
    public enum Key: Hashable, Sendable {
        case strata(Strata)
        case margin(dimension: String, value: String)
    }

    /// One row of `report_week_stratum`, or of its margins.
    public struct StratumRow: Sendable {
        public var week: String
        public var key: Key
        /// Verified samples (all their counted results verified).
        public var tested: Int
        public var analysedBasis: Int
        /// Per `ReportClass.allCases`.
        public var positive: [Int]
        public var unexpected: [Int]
        /// Samples with a result still waiting for verification, and the positive ones among them.
        public var provisionalTested: Int
        public var provisionalPositive: [Int]

        public init(week: String, key: Key, tested: Int, analysedBasis: Int,
                    positive: [Int], unexpected: [Int], provisionalTested: Int, provisionalPositive: [Int]) {
            (self.week, self.key) = (week, key)
            (self.tested, self.analysedBasis, self.positive, self.unexpected) = (tested, analysedBasis, positive, unexpected)
            (self.provisionalTested, self.provisionalPositive) = (provisionalTested, provisionalPositive)
        }
    }

    /// The sample type, source, region (`''` = none given) and lab of an aggregate row.
    public struct Strata: Hashable, Sendable {
        public var sampleType: String
        public var source: String
        public var region: String
        public var lab: String

        public init(sampleType: String, source: String, region: String, lab: String) {
            self.sampleType = sampleType
            self.source = source
            self.region = region
            self.lab = lab
        }
    }

    /// One row of `report_week_substance`: samples of the stratum in which the substance was detected.
    public struct SubstanceRow: Sendable {
        public var strata: Strata
        public var substanceID: String
        public var samples: Int

        public init(strata: Strata, substanceID: String, samples: Int) {
            (self.strata, self.substanceID, self.samples) = (strata, substanceID, samples)
        }
    }

    /// One row of `report_week_concentration`: findings of the substance reported at `concentration` `unit`.
    public struct ConcentrationRow: Sendable {
        public var strata: Strata
        public var substanceID: String
        public var unit: String
        public var concentration: Double
        public var findings: Int

        public init(strata: Strata, substanceID: String, unit: String, concentration: Double, findings: Int) {
            (self.strata, self.substanceID, self.unit, self.concentration, self.findings) = (strata, substanceID, unit, concentration, findings)
        }
    }

    /// Verified counts are the stratum's minus its provisional ones (`report_week_provisional`).
    /// The report's queries are plain SQL that both backends run as written: by strata for one
    /// region, by margins (`margins: true`) for every region.
    public static func countsSQL(margins: Bool) -> String {
        countsSQL(counts: countExpressions.joined(separator: ", "), margins: margins)
    }

    /// The count columns of ``countsSQL`` after the five strata columns, in ``StratumRow``'s order:
    /// tested, analysed basis, positive and unexpected per class (verified), then provisional
    /// tested and positive per class.
    public static let countExpressions: [String] = {
        let classes = ReportClass.allCases.map(\.rawValue)
        let counted = ["tested", "analysed_basis"] + classes.map { "pos_\($0)" } + classes.map { "unexp_\($0)" }
        let provisional = ["tested"] + classes.map { "pos_\($0)" }
        return counted.map { "r.\($0) - COALESCE(p.\($0), 0)" } + provisional.map { "COALESCE(p.\($0), 0)" }
    }()

    /// The counts query with `counts` (``countExpressions``, as columns or gathered in one) selected:
    /// the week, the key's columns (four strata, or dimension and value), then the counts. A
    /// strata query takes the weeks and the region twice; a margin query the weeks.
    public static func countsSQL(counts: String, margins: Bool) -> String {
        margins ? """
            SELECT r.iso_week, r.dimension, r.value, \(counts)
            FROM report_week_margin r LEFT JOIN report_week_margin_provisional p USING (\(WeekRollups.marginKey))
            WHERE r.iso_week BETWEEN ? AND ? AND r.tested > 0
            ORDER BY r.iso_week, r.dimension, r.value
            """ : """
            SELECT r.iso_week, r.sample_type, r.source, r.region, r.lab_code, \(counts)
            FROM report_week_stratum r LEFT JOIN report_week_provisional p USING (\(ReportAggregateSQL.strata))
            WHERE r.iso_week BETWEEN ? AND ? AND (? IS NULL OR r.region = ?) AND r.tested > 0
            ORDER BY r.iso_week, r.sample_type, r.source, r.region, r.lab_code
            """
    }

    /// The week's substances by strata (no margins: see ``WeekRollups``).
    public static let substancesSQL = """
        SELECT sample_type, source, region, lab_code, substance_id, samples FROM report_week_substance
        WHERE iso_week = ? AND (? IS NULL OR region = ?) AND samples > 0
        """

    /// The week's concentration histograms by strata (no margins: see ``WeekRollups``).
    public static let concentrationsSQL = """
        SELECT sample_type, source, region, lab_code, substance_id, unit, concentration, findings FROM report_week_concentration
        WHERE iso_week = ? AND (? IS NULL OR region = ?) AND findings > 0
        """

    /// The arguments of a query above: `leading` (week or weeks), then the region twice when by strata.
    public static func arguments(_ leading: [String], region: String?) -> [String?] {
        leading + (region == nil ? [] : [region, region])
    }

    /// The strata of a row whose strata columns start at `index`.
    static func strata(_ row: Row, at index: Int) -> Strata {
        Strata(sampleType: row[index], source: row[index + 1], region: row[index + 2], lab: row[index + 3])
    }

    /// Substances detected in the week with no detection in any earlier week (same region key).
    public static let firstSeenSQL = """
        SELECT w.substance_id FROM report_substance_week w
        WHERE w.region = ? AND w.iso_week = ? AND w.findings > 0
          AND NOT EXISTS (SELECT 1 FROM report_substance_week e
                          WHERE e.substance_id = w.substance_id AND e.region = w.region AND e.iso_week < w.iso_week AND e.findings > 0)
        ORDER BY w.substance_id
        """

    let database: DrugCheckDatabase

    public init(database: DrugCheckDatabase) {
        self.database = database
    }

    public func counts(from first: ISOWeek, through last: ISOWeek, region: String?) throws -> [StratumRow] {
        let n = ReportClass.allCases.count
        let margins = region == nil, c = margins ? 3 : 5
        return try database.pool.read { db in
            // A cursor's rows decode straight from the statement (no copied rows).
            try Array(Row.fetchCursor(db, sql: Self.countsSQL(margins: margins),
                                      arguments: StatementArguments(Self.arguments([first.description, last.description], region: region))).map { row in
                StratumRow(week: row[0], key: margins ? .margin(dimension: row[1], value: row[2]) : .strata(Self.strata(row, at: 1)),
                           tested: row[c], analysedBasis: row[c + 1],
                           positive: (0..<n).map { row[c + 2 + $0] }, unexpected: (0..<n).map { row[c + 2 + n + $0] },
                           provisionalTested: row[c + 2 + 2 * n], provisionalPositive: (0..<n).map { row[c + 3 + 2 * n + $0] })
            })
        }
    }

    /// The week's substances (maintained per stratum), or one region's.
    public func substances(in week: ISOWeek, region: String?) throws -> [SubstanceRow] {
        try database.pool.read { db in
            try Array(Row.fetchCursor(db, sql: Self.substancesSQL, arguments: [week.description, region, region]).map { row in
                SubstanceRow(strata: Self.strata(row, at: 0), substanceID: row[4], samples: row[5])
            })
        }
    }

    /// The week's quantified findings as a histogram per stratum, substance and unit, or one region's.
    public func concentrations(in week: ISOWeek, region: String?) throws -> [ConcentrationRow] {
        try database.pool.read { db in
            try Array(Row.fetchCursor(db, sql: Self.concentrationsSQL, arguments: [week.description, region, region]).map { row in
                ConcentrationRow(strata: Self.strata(row, at: 0), substanceID: row[4], unit: row[5], concentration: row[6], findings: row[7])
            })
        }
    }

    /// Substances whose first detection (everywhere, or in `region`) falls in `week`.
    public func firstSeen(in week: ISOWeek, region: String?) throws -> Set<String> {
        try database.pool.read { db in
            Set(try String.fetchAll(db, sql: Self.firstSeenSQL, arguments: [region ?? "", week.description]))
        }
    }

    /// `EXPLAIN QUERY PLAN` of the report's queries, for BENCHMARKS.md.
    public func queryPlans() throws -> [(name: String, plan: [String])] {
        let week = "2026-W01"
        let queries: [(String, String, StatementArguments)] = [
            ("weekly counts per dimension", Self.countsSQL(margins: true), [week, week]),
            ("weekly stratum counts of one region", Self.countsSQL(margins: false), [week, week, "East", "East"]),
            ("substances of the report week", Self.substancesSQL, [week, nil, nil]),
            ("concentrations of the report week", Self.concentrationsSQL, [week, nil, nil]),
            ("first-seen substances", Self.firstSeenSQL, ["", week]),
        ]
        return try database.pool.read { db in
            try queries.map { name, sql, arguments in
                (name, try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String })
            }
        }
    }
}
