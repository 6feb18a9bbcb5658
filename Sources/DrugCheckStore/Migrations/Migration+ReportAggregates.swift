import DrugCheckModel
import GRDB

extension SchemaMigration {
    /// Aggregates the weekly report reads instead of scanning samples and findings, kept exact
    /// by triggers on every write path (classification insert/update/delete, sample updates and
    /// deletes, finding inserts and re-identification):
    ///
    /// - `report_week_stratum`: per ISO week × sample type × source × region × lab, the samples
    ///   tested, those dated by analysis (no collection date), and per report class the positive
    ///   and the unexpected ("sold as X, found opioid") positive samples. Region `''` = none given.
    /// - `report_substance_first_seen`: the first ISO week a substance was detected, everywhere
    ///   (region `''`) and per region. It only moves earlier: a finding later re-identified as
    ///   something else leaves the earlier week in place (conservative for "first seen").
    static let reportAggregates = SchemaMigration("v2-report-aggregates") { db in
        let classes = ReportClass.allCases.map(\.rawValue)
        let countColumns = ["tested", "analysed_basis"] + classes.map { "pos_\($0)" } + classes.map { "unexp_\($0)" }
        let key = "iso_week, sample_type, source, region, lab_code"
        try db.execute(sql: """
            CREATE TABLE report_week_stratum (
                iso_week TEXT NOT NULL, sample_type TEXT NOT NULL, source TEXT NOT NULL,
                region TEXT NOT NULL, lab_code TEXT NOT NULL,
                \(countColumns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ",\n    "))
                , PRIMARY KEY (\(key))
            ) WITHOUT ROWID;
            CREATE TABLE report_substance_first_seen (
                substance_id TEXT NOT NULL, region TEXT NOT NULL, first_week TEXT NOT NULL,
                PRIMARY KEY (substance_id, region)
            ) WITHOUT ROWID;
            """)

        /// Adds `sign` × one sample's counts; `s` and `c` name the sample's and classification's columns.
        func addSample(_ sign: String, s: String, c: String, from: String) -> String {
            let values = ["\(sign)", "\(sign) * (\(s).week_basis = 'analysed')"]
                + classes.map { "\(sign) * \(c).\($0)" }
                + classes.map { "\(sign) * (\(c).unexpected AND \(c).\($0))" }
            return """
                INSERT INTO report_week_stratum (\(key), \(countColumns.joined(separator: ", ")))
                SELECT \(s).iso_week, \(s).sample_type, \(s).source, COALESCE(\(s).region, ''), \(s).lab_code,
                       \(values.joined(separator: ", "))
                \(from) AND \(s).iso_week IS NOT NULL
                ON CONFLICT (\(key)) DO UPDATE SET
                \(countColumns.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", "));
                """
        }
        let strata = "iso_week, sample_type, source, region, lab_code"
        try db.execute(sql: """
            CREATE TRIGGER report_classification_insert AFTER INSERT ON sample_classification BEGIN
                \(addSample("1", s: "s", c: "NEW", from: "FROM sample s WHERE s.id = NEW.sample_id"))
            END;
            CREATE TRIGGER report_classification_update AFTER UPDATE ON sample_classification BEGIN
                \(addSample("-1", s: "s", c: "OLD", from: "FROM sample s WHERE s.id = OLD.sample_id"))
                \(addSample("1", s: "s", c: "NEW", from: "FROM sample s WHERE s.id = NEW.sample_id"))
            END;
            -- When the sample itself is deleted, report_sample_delete has already subtracted it.
            CREATE TRIGGER report_classification_delete AFTER DELETE ON sample_classification BEGIN
                \(addSample("-1", s: "s", c: "OLD", from: "FROM sample s WHERE s.id = OLD.sample_id"))
            END;
            CREATE TRIGGER report_sample_delete BEFORE DELETE ON sample BEGIN
                \(addSample("-1", s: "OLD", c: "c", from: "FROM sample_classification c WHERE c.sample_id = OLD.id"))
            END;
            CREATE TRIGGER report_sample_update AFTER UPDATE OF \(strata), week_basis ON sample BEGIN
                \(addSample("-1", s: "OLD", c: "c", from: "FROM sample_classification c WHERE c.sample_id = OLD.id"))
                \(addSample("1", s: "NEW", c: "c", from: "FROM sample_classification c WHERE c.sample_id = NEW.id"))
                \(firstSeen("f.substance_id", sample: "NEW", from: "finding f JOIN analysis a ON a.id = f.analysis_id",
                            where: "a.sample_id = NEW.id AND f.detected AND f.substance_id IS NOT NULL"))
            END;
            CREATE TRIGGER report_finding_insert AFTER INSERT ON finding WHEN NEW.detected AND NEW.substance_id IS NOT NULL BEGIN
                \(firstSeen("NEW.substance_id", sample: "s", from: "analysis a JOIN sample s ON s.id = a.sample_id",
                            where: "a.id = NEW.analysis_id"))
            END;
            CREATE TRIGGER report_finding_update AFTER UPDATE OF substance_id, detected ON finding
            WHEN NEW.detected AND NEW.substance_id IS NOT NULL BEGIN
                \(firstSeen("NEW.substance_id", sample: "s", from: "analysis a JOIN sample s ON s.id = a.sample_id",
                            where: "a.id = NEW.analysis_id"))
            END;
            """)

        // Backfill from what is already stored.
        try db.execute(sql: """
            INSERT INTO report_week_stratum (\(key), \(countColumns.joined(separator: ", ")))
            SELECT s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code,
                   COUNT(*), SUM(s.week_basis = 'analysed'),
                   \(classes.map { "SUM(c.\($0))" }.joined(separator: ", ")),
                   \(classes.map { "SUM(c.unexpected AND c.\($0))" }.joined(separator: ", "))
            FROM sample s JOIN sample_classification c ON c.sample_id = s.id
            WHERE s.iso_week IS NOT NULL
            GROUP BY s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code;
            INSERT INTO report_substance_first_seen (substance_id, region, first_week)
            SELECT f.substance_id, '', MIN(s.iso_week)
            FROM finding f JOIN analysis a ON a.id = f.analysis_id JOIN sample s ON s.id = a.sample_id
            WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL
            GROUP BY f.substance_id
            UNION ALL
            SELECT f.substance_id, s.region, MIN(s.iso_week)
            FROM finding f JOIN analysis a ON a.id = f.analysis_id JOIN sample s ON s.id = a.sample_id
            WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week IS NOT NULL AND s.region IS NOT NULL
            GROUP BY f.substance_id, s.region;
            """)
    }

    /// Upserts the earliest week of `substance` (an SQL expression over `from`), everywhere and
    /// in the sample's region.
    private static func firstSeen(_ substance: String, sample s: String, from: String, where condition: String) -> String {
        let upsert = "ON CONFLICT (substance_id, region) DO UPDATE SET first_week = MIN(first_week, excluded.first_week);"
        return """
            INSERT INTO report_substance_first_seen (substance_id, region, first_week)
            SELECT \(substance), '', \(s).iso_week FROM \(from) WHERE \(condition) AND \(s).iso_week IS NOT NULL \(upsert)
            INSERT INTO report_substance_first_seen (substance_id, region, first_week)
            SELECT \(substance), \(s).region, \(s).iso_week FROM \(from)
            WHERE \(condition) AND \(s).iso_week IS NOT NULL AND \(s).region IS NOT NULL \(upsert)
            """
    }
}
