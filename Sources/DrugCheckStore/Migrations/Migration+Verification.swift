import GRDB

extension SchemaMigration {
    /// Results are verified by a second person (or a lab's automatic rule) before they count:
    ///
    /// - `analysis.status` (`submitted`, `verified`, `rejected`) with who verified, by which rule,
    ///   when, and why a result was rejected. Analyses stored before this migration were counted
    ///   at once; they become `verified`, the rule saying so.
    /// - `import_batch.imported_by`: who imported, for the four-eyes rule.
    /// - `sample_classification.provisional`: some counted result of the sample awaits verification.
    /// - the `verifier` role for API users (the table is rebuilt: SQLite cannot alter a CHECK).
    /// - `report_week_provisional`: the counts of `report_week_stratum` for provisional samples only,
    ///   kept by triggers as exact as those of `report-aggregates` (and deferred with them during a
    ///   batch); the report's verified figures are the difference.
    static let verification = SchemaMigration("verification") { db in
        try db.execute(sql: """
            ALTER TABLE analysis ADD COLUMN status TEXT NOT NULL DEFAULT 'submitted'
                CHECK (status IN ('submitted', 'verified', 'rejected'));
            ALTER TABLE analysis ADD COLUMN verified_by TEXT;
            ALTER TABLE analysis ADD COLUMN verification_rule TEXT;
            ALTER TABLE analysis ADD COLUMN verified_at DATETIME;
            ALTER TABLE analysis ADD COLUMN rejection_reason TEXT;
            UPDATE analysis SET status = 'verified', verification_rule = 'stored before results were verified';
            CREATE INDEX analysis_pending ON analysis(status) WHERE status = 'submitted';
            ALTER TABLE import_batch ADD COLUMN imported_by TEXT;
            ALTER TABLE sample_classification ADD COLUMN provisional BOOLEAN NOT NULL DEFAULT 0;
            CREATE TABLE api_user_new (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('lab', 'ministry', 'subscriber', 'reviewer', 'verifier', 'admin')),
                lab_code TEXT REFERENCES lab(code),
                created_at DATETIME NOT NULL,
                CHECK ((role = 'lab') = (lab_code IS NOT NULL))
            );
            INSERT INTO api_user_new SELECT id, name, role, lab_code, created_at FROM api_user;
            DROP TABLE api_user;
            ALTER TABLE api_user_new RENAME TO api_user;
            CREATE TABLE report_week_provisional (
                iso_week TEXT NOT NULL, sample_type TEXT NOT NULL, source TEXT NOT NULL,
                region TEXT NOT NULL, lab_code TEXT NOT NULL,
                \(ReportAggregateSQL.countColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", "))
                , PRIMARY KEY (\(ReportAggregateSQL.strata))
            ) WITHOUT ROWID;
            """)
        typealias A = ReportAggregateSQL
        let table = "report_week_provisional"
        let live = "NOT (SELECT deferred FROM aggregate_control WHERE id = 1)"
        try db.execute(sql: """
            CREATE TRIGGER provisional_classification_insert AFTER INSERT ON sample_classification WHEN NEW.provisional AND \(live) BEGIN
                \(A.addSample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id", into: table))
            END;
            CREATE TRIGGER provisional_classification_update AFTER UPDATE ON sample_classification
            WHEN (OLD.provisional OR NEW.provisional) AND \(live) BEGIN
                \(A.addSample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id AND OLD.provisional", into: table))
                \(A.addSample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id AND NEW.provisional", into: table))
            END;
            CREATE TRIGGER provisional_classification_delete AFTER DELETE ON sample_classification WHEN OLD.provisional AND \(live) BEGIN
                \(A.addSample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id", into: table))
            END;
            CREATE TRIGGER provisional_sample_delete BEFORE DELETE ON sample WHEN \(live) BEGIN
                \(A.addSample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id AND c.provisional", into: table))
            END;
            CREATE TRIGGER provisional_sample_update AFTER UPDATE OF \(A.sampleColumns) ON sample WHEN \(live) BEGIN
                \(A.addSample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id AND c.provisional", into: table))
                \(A.addSample("1", s: "NEW", c: "c", from: "sample_classification c", where: "c.sample_id = NEW.id AND c.provisional", into: table))
            END;
            """)
    }
}
