import DrugCheckStore
import GRDB

/// Reads what the weekly report needs from the store: the maintained weekly stratum counts
/// (`report_week_stratum`, primary-key range on the week), the detected findings of the one
/// report week (through the `sample_week`, `analysis_sample` and `finding_analysis` indexes) and
/// first-seen substances (`report_substance_week`). No query scans all findings.
struct ReportStoreReader {
    /// One row of `report_week_stratum`.
    struct StratumRow {
        var week: String
        var sampleType: String
        var source: String
        var region: String
        var lab: String
        var tested: Int
        var analysedBasis: Int
        /// Per `ReportClass.allCases`.
        var positive: [Int]
        var unexpected: [Int]
    }

    /// A detected, identified finding of the report week with its sample's strata.
    struct FindingRow {
        var sampleID: Int64
        var sampleType: String
        var source: String
        var region: String
        var lab: String
        var substanceID: String
        var concentration: Double?
        var unit: String?
    }

    static let countsSQL: String = {
        let classes = ReportClass.allCases.map(\.rawValue)
        let columns = classes.map { "pos_\($0)" } + classes.map { "unexp_\($0)" }
        return """
            SELECT iso_week, sample_type, source, region, lab_code, tested, analysed_basis, \(columns.joined(separator: ", "))
            FROM report_week_stratum
            WHERE iso_week BETWEEN ? AND ? AND (? IS NULL OR region = ?) AND tested > 0
            ORDER BY iso_week, sample_type, source, region, lab_code
            """
    }()

    static let findingsSQL = """
        SELECT s.id, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code, f.substance_id, f.concentration, f.unit
        FROM sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id
        WHERE s.iso_week = ? AND (? IS NULL OR COALESCE(s.region, '') = ?) AND f.detected AND f.substance_id IS NOT NULL
          AND EXISTS (SELECT 1 FROM sample_classification c WHERE c.sample_id = s.id)
        ORDER BY s.id, f.id
        """

    /// Substances detected in the week with no detection in any earlier week (same region key).
    static let firstSeenSQL = """
        SELECT w.substance_id FROM report_substance_week w
        WHERE w.region = ? AND w.iso_week = ? AND w.findings > 0
          AND NOT EXISTS (SELECT 1 FROM report_substance_week e
                          WHERE e.substance_id = w.substance_id AND e.region = w.region AND e.iso_week < w.iso_week AND e.findings > 0)
        ORDER BY w.substance_id
        """

    let database: DrugCheckDatabase

    func counts(from first: ISOWeek, through last: ISOWeek, region: String?) throws -> [StratumRow] {
        let n = ReportClass.allCases.count
        return try database.pool.read { db in
            try Row.fetchAll(db, sql: Self.countsSQL,
                             arguments: [first.description, last.description, region, region]).map { row in
                StratumRow(week: row[0], sampleType: row[1], source: row[2], region: row[3], lab: row[4],
                           tested: row[5], analysedBasis: row[6],
                           positive: (0..<n).map { row[7 + $0] }, unexpected: (0..<n).map { row[7 + n + $0] })
            }
        }
    }

    func findings(in week: ISOWeek, region: String?) throws -> [FindingRow] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: Self.findingsSQL, arguments: [week.description, region, region]).map { row in
                FindingRow(sampleID: row[0], sampleType: row[1], source: row[2], region: row[3], lab: row[4],
                           substanceID: row[5], concentration: row[6], unit: row[7])
            }
        }
    }

    /// Substances whose first detection (everywhere, or in `region`) falls in `week`.
    func firstSeen(in week: ISOWeek, region: String?) throws -> Set<String> {
        try database.pool.read { db in
            Set(try String.fetchAll(db, sql: Self.firstSeenSQL, arguments: [region ?? "", week.description]))
        }
    }

    /// `EXPLAIN QUERY PLAN` of the report's queries, for BENCHMARKS.md.
    func queryPlans() throws -> [(name: String, plan: [String])] {
        let week = "2026-W01"
        let queries: [(String, String, StatementArguments)] = [
            ("weekly stratum counts", Self.countsSQL, [week, week, nil, nil]),
            ("findings of the report week", Self.findingsSQL, [week, nil, nil]),
            ("first-seen substances", Self.firstSeenSQL, ["", week]),
        ]
        return try database.pool.read { db in
            try queries.map { name, sql, arguments in
                (name, try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String })
            }
        }
    }
}
