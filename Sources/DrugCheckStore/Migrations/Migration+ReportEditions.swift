import GRDB

extension SchemaMigration {
    /// `report_edition`: each distinct set of figures a weekly report of a past week showed, with
    /// when it was first produced (``ReportEditions``), so a report re-run later says when its
    /// figures changed (amended, verified or late results).
    static let reportEditions = SchemaMigration("report-editions") { db in
        try db.execute(sql: """
            CREATE TABLE report_edition (
                iso_week TEXT NOT NULL,
                scope TEXT NOT NULL,
                produced_at TEXT NOT NULL,
                figures_sha256 TEXT NOT NULL,
                PRIMARY KEY (iso_week, scope, produced_at, figures_sha256)
            ) WITHOUT ROWID;
            """)
    }
}
