import DrugCheckModel
import GRDB

extension SchemaMigration {
    /// Aggregates the weekly report reads instead of scanning samples and findings, kept exact by
    /// triggers on every write path (inserts, updates, deletes, cascades):
    ///
    /// - `report_week_stratum`: per ISO week × sample type × source × region × lab, the samples
    ///   tested, those dated by analysis (no collection date), and per report class the positive
    ///   and the unexpected ("sold as X, found opioid") positive samples. Region `''` = none given.
    /// - `report_substance_week`: detected findings per substance × region × ISO week (region
    ///   `''` = everywhere), from which "first seen this week" is an index lookup.
    ///
    /// Foreign-key cascades delete the parent row before the children's triggers run, so the
    /// parent's `BEFORE DELETE` trigger subtracts and the children's triggers then find nothing.
    static let reportAggregates = SchemaMigration("report-aggregates") { db in
        try db.execute(sql: """
            CREATE TABLE report_week_stratum (
                iso_week TEXT NOT NULL, sample_type TEXT NOT NULL, source TEXT NOT NULL,
                region TEXT NOT NULL, lab_code TEXT NOT NULL,
                \(ReportAggregateSQL.countColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ", "))
                , PRIMARY KEY (\(ReportAggregateSQL.strata))
            ) WITHOUT ROWID;
            CREATE TABLE report_substance_week (
                substance_id TEXT NOT NULL, region TEXT NOT NULL, iso_week TEXT NOT NULL,
                findings INTEGER NOT NULL,
                PRIMARY KEY (substance_id, region, iso_week)
            ) WITHOUT ROWID;
            CREATE INDEX report_substance_week_by_week ON report_substance_week(region, iso_week);
            """)
        typealias A = ReportAggregateSQL
        let sampleFindings = "analysis a JOIN finding f ON f.analysis_id = a.id"
        let identified = "f.detected AND f.substance_id IS NOT NULL"
        try db.execute(sql: """
            CREATE TRIGGER report_classification_insert AFTER INSERT ON sample_classification BEGIN
                \(A.addSample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id"))
            END;
            CREATE TRIGGER report_classification_update AFTER UPDATE ON sample_classification BEGIN
                \(A.addSample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id"))
                \(A.addSample("1", s: "s", c: "NEW", from: "sample s", where: "s.id = NEW.sample_id"))
            END;
            CREATE TRIGGER report_classification_delete AFTER DELETE ON sample_classification BEGIN
                \(A.addSample("-1", s: "s", c: "OLD", from: "sample s", where: "s.id = OLD.sample_id"))
            END;
            CREATE TRIGGER report_sample_delete BEFORE DELETE ON sample BEGIN
                \(A.addSample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id"))
                \(A.addFindings("-1", "f.substance_id", s: "OLD", from: sampleFindings, where: "a.sample_id = OLD.id AND \(identified)"))
            END;
            CREATE TRIGGER report_sample_update AFTER UPDATE OF \(A.sampleColumns) ON sample BEGIN
                \(A.addSample("-1", s: "OLD", c: "c", from: "sample_classification c", where: "c.sample_id = OLD.id"))
                \(A.addSample("1", s: "NEW", c: "c", from: "sample_classification c", where: "c.sample_id = NEW.id"))
                \(A.addFindings("-1", "f.substance_id", s: "OLD", from: sampleFindings, where: "a.sample_id = OLD.id AND \(identified)"))
                \(A.addFindings("1", "f.substance_id", s: "NEW", from: sampleFindings, where: "a.sample_id = NEW.id AND \(identified)"))
            END;
            CREATE TRIGGER report_analysis_delete BEFORE DELETE ON analysis BEGIN
                \(A.addFindings("-1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = OLD.sample_id",
                                where: "f.analysis_id = OLD.id AND \(identified)"))
            END;
            CREATE TRIGGER report_analysis_update AFTER UPDATE OF sample_id ON analysis BEGIN
                \(A.addFindings("-1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = OLD.sample_id",
                                where: "f.analysis_id = OLD.id AND \(identified)"))
                \(A.addFindings("1", "f.substance_id", s: "s", from: "finding f JOIN sample s ON s.id = NEW.sample_id",
                                where: "f.analysis_id = NEW.id AND \(identified)"))
            END;
            CREATE TRIGGER report_finding_insert AFTER INSERT ON finding WHEN NEW.detected AND NEW.substance_id IS NOT NULL BEGIN
                \(A.addFindings("1", "NEW.substance_id", s: "s", from: A.findingSample, where: "a.id = NEW.analysis_id"))
            END;
            CREATE TRIGGER report_finding_delete AFTER DELETE ON finding WHEN OLD.detected AND OLD.substance_id IS NOT NULL BEGIN
                \(A.addFindings("-1", "OLD.substance_id", s: "s", from: A.findingSample, where: "a.id = OLD.analysis_id"))
            END;
            CREATE TRIGGER report_finding_update AFTER UPDATE OF substance_id, detected, analysis_id ON finding BEGIN
                \(A.addFindings("-1", "OLD.substance_id", s: "s", from: A.findingSample,
                                where: "a.id = OLD.analysis_id AND OLD.detected AND OLD.substance_id IS NOT NULL"))
                \(A.addFindings("1", "NEW.substance_id", s: "s", from: A.findingSample,
                                where: "a.id = NEW.analysis_id AND NEW.detected AND NEW.substance_id IS NOT NULL"))
            END;
            """)
        // Backfill from what is already stored.
        try db.execute(sql: """
            \(A.addSample("1", s: "s", c: "c", from: "sample s JOIN sample_classification c ON c.sample_id = s.id", where: "1"))
            \(A.addFindings("1", "f.substance_id", s: "s", from: "sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id", where: identified))
            """)
    }
}

/// SQL fragments of the report-aggregate triggers.
enum ReportAggregateSQL {
    static let classes = ReportClass.allCases.map(\.rawValue)
    static let countColumns = ["tested", "analysed_basis"] + classes.map { "pos_\($0)" } + classes.map { "unexp_\($0)" }
    static let strata = "iso_week, sample_type, source, region, lab_code"
    /// The key of `report_substance_week` (region `''`: everywhere).
    static let substanceWeekKey = "substance_id, region, iso_week"
    static let sampleColumns = "iso_week, week_basis, sample_type, source, region, lab_code"
    static let findingSample = "analysis a JOIN sample s ON s.id = a.sample_id"

    /// Adds `sign` × each selected sample's counts; `s` and `c` name the sample's and its classification's columns.
    /// `postgres`: booleans counted as PostgreSQL needs them (cast to integers).
    static func addSample(_ sign: String, s: String, c: String, from: String, where condition: String,
                          into table: String = "report_week_stratum", postgres: Bool = false) -> String {
        let count = { (flag: String) in postgres ? "(\(flag))::int" : "(\(flag))" }
        let values = [sign, "\(sign) * \(count("\(s).week_basis = 'analysed'"))"]
            + classes.map { postgres ? "\(sign) * \(count("\(c).\($0)"))" : "\(sign) * \(c).\($0)" }
            + classes.map { "\(sign) * \(count("\(c).unexpected AND \(c).\($0)"))" }
        return """
            INSERT INTO \(table) (\(strata), \(countColumns.joined(separator: ", ")))
            SELECT \(s).iso_week, \(s).sample_type, \(s).source, COALESCE(\(s).region, ''), \(s).lab_code, \(values.joined(separator: ", "))
            FROM \(from) WHERE (\(condition)) AND \(s).iso_week IS NOT NULL
            ON CONFLICT (\(strata)) DO UPDATE SET \(countColumns.map { "\($0) = \(existing(table, $0, postgres)) + excluded.\($0)" }.joined(separator: ", "));
            """
    }

    /// Adds `sign` per selected finding of `substance`, everywhere and in the sample's region.
    /// `postgres`: the findings summed per key first (PostgreSQL's upsert takes each key once).
    static func addFindings(_ sign: String, _ substance: String, s: String, from: String, where condition: String,
                            postgres: Bool = false) -> String {
        let upsert = "ON CONFLICT (\(substanceWeekKey)) DO UPDATE SET findings = "
            + "\(existing("report_substance_week", "findings", postgres)) + excluded.findings;"
        let (value, grouped) = postgres ? ("SUM(\(sign))", " GROUP BY 1, 2, 3") : (sign, "")
        return """
            INSERT INTO report_substance_week (substance_id, region, iso_week, findings)
            SELECT \(substance), '', \(s).iso_week, \(value) FROM \(from) WHERE (\(condition)) AND \(s).iso_week IS NOT NULL\(grouped) \(upsert)
            INSERT INTO report_substance_week (substance_id, region, iso_week, findings)
            SELECT \(substance), \(s).region, \(s).iso_week, \(value) FROM \(from)
            WHERE (\(condition)) AND \(s).iso_week IS NOT NULL AND \(s).region IS NOT NULL\(grouped) \(upsert)
            """
    }

    /// The conflicting row's `column` in an upsert: qualified on PostgreSQL, where a bare name
    /// inside a trigger function is ambiguous.
    static func existing(_ table: String, _ column: String, _ postgres: Bool) -> String {
        postgres ? "\(table).\(column)" : column
    }
}
