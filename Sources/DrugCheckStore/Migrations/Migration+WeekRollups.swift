import GRDB

extension SchemaMigration {
    /// The week rollups (``WeekRollups``): the report's margins per dimension and the sold-as
    /// tables, built for every stored week.
    static let weekRollups = SchemaMigration("week-rollups") { db in
        let counts = ReportAggregateSQL.countColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", ")
        let margin = "iso_week TEXT NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL"
        try db.execute(sql: """
            CREATE TABLE report_week_margin (\(margin), \(counts), PRIMARY KEY (\(WeekRollups.marginKey))) WITHOUT ROWID;
            CREATE TABLE report_week_margin_provisional (\(margin), \(counts), PRIMARY KEY (\(WeekRollups.marginKey))) WITHOUT ROWID;
            CREATE TABLE report_week_sold_as (
                iso_week TEXT NOT NULL, region TEXT NOT NULL, by_id BOOLEAN NOT NULL, label TEXT NOT NULL, samples INTEGER NOT NULL,
                PRIMARY KEY (iso_week, region, by_id, label)
            ) WITHOUT ROWID;
            CREATE TABLE report_week_sold_as_found (
                iso_week TEXT NOT NULL, region TEXT NOT NULL, by_id BOOLEAN NOT NULL, label TEXT NOT NULL, substance TEXT NOT NULL,
                samples INTEGER NOT NULL,
                PRIMARY KEY (iso_week, region, by_id, label, substance)
            ) WITHOUT ROWID;
            """)
        try WeekRollups.recompute(db, weeks: Set(try String.fetchAll(db, sql: "SELECT DISTINCT iso_week FROM sample WHERE iso_week IS NOT NULL")))
    }
}
