import GRDB

/// Per-week rollups of what a week's first view reads, so that it reads a few hundred rows
/// instead of every stratum, sample and finding of the week (issue #17: a week nobody had read
/// took 130–180 ms on the 10-million-finding database; BENCHMARKS.md, "Web pages"):
///
/// - `report_week_margin` and `report_week_margin_provisional`: `report_week_stratum` and
///   `report_week_provisional` summed per dimension of the report (all samples, each sample type,
///   source, region and lab): ~30 rows a week where the strata have ~1,000. The weekly report of
///   every region reads them (``ReportAggregateReader``); one region's report reads the strata.
///   The week's substances and concentrations have no margins: on sparse data (many labs, few
///   samples per stratum) theirs had more rows than the strata, and they cost an import the most.
/// - `report_week_sold_as` and `report_week_sold_as_found`: "what is in things sold as X"
///   (``DrugCheckDatabase/soldAsFound(week:region:limit:substances:)``) per week, region and
///   label: the samples with shown results, and per substance found the samples it was found in.
///
/// A rollup is a function of the week's stored rows, brought up to date before a write commits:
/// an import batch rebuilds the margins of the weeks it wrote and adds its new samples' sold-as
/// counts (``AggregateDeltas``), ``DrugCheckDatabase/write(waitLimit:_:)`` rebuilds the weeks of
/// the samples its transaction changed. `WeekRollupTests` rebuild every week
/// and compare; PostgreSQL's migration fills them with the same statements.
public enum WeekRollups {
    /// The report's dimensions as stored in `dimension`, each with the stratum column giving its value.
    static let dimensions: [(name: String, column: String)] = [
        ("all", "''"), ("sample_type", "sample_type"), ("source", "source"), ("region", "region"), ("lab", "lab_code"),
    ]

    public static let marginKey = "iso_week, dimension, value"
    static let soldAsKey = "iso_week, region, by_id, label"
    static let soldAsFoundKey = "\(soldAsKey), substance"

    /// Statements rebuilding the margin rollups of the weeks whose `iso_week` satisfies `weeks`
    /// (`IN (…)`, `IS NOT NULL`); plain SQL both backends run.
    public static func marginStatements(weeks: String) -> [String] {
        let counts = ReportAggregateSQL.countColumns
        let sums = counts.map { "SUM(\($0))" }.joined(separator: ", ")
        let pairs = [("report_week_margin", "report_week_stratum"), ("report_week_margin_provisional", "report_week_provisional")]
        return pairs.flatMap { rollup, source -> [String] in
            let columns = ([marginKey] + counts).joined(separator: ", ")
            let selects = dimensions.map { dimension in
                let group = dimension.name == "all" ? "iso_week" : "iso_week, \(dimension.column)"
                return """
                    SELECT iso_week, '\(dimension.name)', \(dimension.column), \(sums)
                    FROM \(source) WHERE iso_week \(weeks) GROUP BY \(group)
                    """
            }
            return ["DELETE FROM \(rollup) WHERE iso_week \(weeks)",
                    "INSERT INTO \(rollup) (\(columns))\n" + selects.joined(separator: "\nUNION ALL\n")]
        }
    }

    /// One row per sample of the weeks `weeks` selects with a shown result, per substance
    /// detected in its shown results (substance `''` for a result without one; repeated for each
    /// finding naming it unless `distinct`): each run's counted
    /// version and rejected results not superseded; a counted version's findings are in `finding`,
    /// the others' in `parked_finding`. `join` is SQLite's `CROSS JOIN`, which keeps its join order
    /// (week's samples → their analyses → findings; left free, SQLite scanned every detected
    /// finding: 4.6 s instead of 0.2 s on a week of the benchmark load), or PostgreSQL's `JOIN`.
    public static func soldAsRows(weeks: String, join: String, distinct: Bool) -> String {
        soldAsRows(where: "s.iso_week \(weeks)", join: join, distinct: distinct)
    }

    /// ``soldAsRows(weeks:join:distinct:)`` of the samples `condition` selects.
    static func soldAsRows(where condition: String, join: String, distinct: Bool) -> String {
        """
        SELECT \(distinct ? "DISTINCT " : "")s.iso_week AS iso_week, COALESCE(s.region, '') AS region,
               s.sold_as_substance_id IS NOT NULL AS by_id, COALESCE(s.sold_as_substance_id, s.sold_as) AS label,
               COALESCE(f.substance_id, f.reported_name, p.substance_id, p.reported_name, '') AS substance, s.id AS sample_id
        FROM sample s
        \(join) analysis a ON a.sample_id = s.id AND (a.counted OR (a.status = 'rejected' AND a.superseded_by IS NULL))
        LEFT JOIN finding f ON a.counted AND f.analysis_id = a.id AND f.detected
        LEFT JOIN parked_finding p ON NOT a.counted AND p.analysis_id = a.id AND p.detected
        WHERE \(condition) AND COALESCE(s.sold_as_substance_id, s.sold_as) <> ''
        """
    }

    /// Statements filling the sold-as rollups from distinct `rows` (``soldAsRows(weeks:join:distinct:)``,
    /// or a table holding them).
    public static func soldAsInserts(from rows: String) -> [String] {
        ["""
            INSERT INTO report_week_sold_as (\(soldAsKey), samples)
            SELECT \(soldAsKey), COUNT(DISTINCT sample_id) FROM \(rows) WHERE true
            GROUP BY \(soldAsKey)
            """,
            """
            INSERT INTO report_week_sold_as_found (\(soldAsFoundKey), samples)
            SELECT \(soldAsFoundKey), COUNT(*) FROM \(rows) WHERE substance <> ''
            GROUP BY \(soldAsFoundKey)
            """]
    }

    /// Statements rebuilding every rollup of the weeks `weeks` selects (`IN (…)`, `IS NOT NULL`)
    /// in SQL PostgreSQL runs as written (SQLite takes its own path, through a temporary table).
    public static func postgresRebuild(weeks: String) -> [String] {
        marginStatements(weeks: weeks) + [
            "DELETE FROM report_week_sold_as WHERE iso_week \(weeks)", "DELETE FROM report_week_sold_as_found WHERE iso_week \(weeks)",
        ] + soldAsInserts(from: "(\(soldAsRows(weeks: weeks, join: "JOIN", distinct: true))) AS r")
    }

    /// Rebuilds every rollup of `weeks` (ISO week strings) on SQLite.
    static func recompute(_ db: Database, weeks: Set<String>) throws {
        try inChunks(db, weeks) { try rebuild(db, weeks: $0) }
    }

    /// Brings the rollups up to date after an import batch that added its new samples' sold-as
    /// counts already (``AggregateDeltas``): the margins of every week it wrote are rebuilt from
    /// the strata, the sold-as rollups only for `rebuiltWeeks`, where it changed samples after
    /// storing them (rebuilding every week a 1M-row import wrote read each week's samples through
    /// the week index: ~40% of the import's time).
    static func update(_ db: Database, weeks: Set<String>, rebuiltWeeks: Set<String>) throws {
        try inChunks(db, weeks) { try rebuildMargins(db, weeks: $0) }
        try inChunks(db, rebuiltWeeks) { try rebuildSoldAs(db, weeks: $0) }
    }

    /// Runs `body` on the weeks eight at a time, each time listed in `temp.rollup_week` (all at
    /// once, a 1M-row import's sold-as rows took ~170 MB more peak memory).
    private static func inChunks(_ db: Database, _ weeks: Set<String>, _ body: (String) throws -> Void) throws {
        let sorted = weeks.sorted()
        for start in stride(from: 0, to: sorted.count, by: 8) {
            try fill(db, weeks: sorted[start..<min(sorted.count, start + 8)])
            try body("IN (SELECT iso_week FROM temp.rollup_week)")
        }
        try fill(db, weeks: [])
    }

    private static func fill(_ db: Database, weeks: some Collection<String>) throws {
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS rollup_week (iso_week TEXT PRIMARY KEY) WITHOUT ROWID;
            DELETE FROM temp.rollup_week;
            """)
        let insert = try db.cachedStatement(sql: "INSERT INTO temp.rollup_week (iso_week) VALUES (?)")
        for week in weeks { try insert.execute(arguments: [week]) }
    }

    /// Rebuilds the rollups of the weeks whose `iso_week` satisfies `weeks`, on SQLite.
    static func rebuild(_ db: Database, weeks: String) throws {
        try rebuildMargins(db, weeks: weeks)
        try rebuildSoldAs(db, weeks: weeks)
    }

    private static func rebuildMargins(_ db: Database, weeks: String) throws {
        for statement in marginStatements(weeks: weeks) { try db.execute(sql: statement) }
    }

    private static func rebuildSoldAs(_ db: Database, weeks: String) throws {
        try db.execute(sql: "DELETE FROM report_week_sold_as WHERE iso_week \(weeks); DELETE FROM report_week_sold_as_found WHERE iso_week \(weeks)")
        try soldAsRowTable(db, rows: soldAsRows(weeks: weeks, join: "CROSS JOIN", distinct: false))
        for statement in soldAsInserts(from: "temp.sold_as_row") { try db.execute(sql: statement) }
        try db.execute(sql: "DROP TABLE temp.sold_as_row")
    }

    /// `temp.sold_as_row` holding `rows` once each (its key drops the repeats).
    private static func soldAsRowTable(_ db: Database, rows: String) throws {
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.sold_as_row;
            CREATE TEMP TABLE sold_as_row (iso_week, region, by_id, label, substance, sample_id,
                                           PRIMARY KEY (iso_week, region, by_id, label, substance, sample_id)) WITHOUT ROWID;
            INSERT OR IGNORE INTO temp.sold_as_row \(rows);
            """)
    }
}
