import DrugCheckModel
import GRDB

extension SchemaMigration {
    /// What the weekly report needs of the report week's findings, maintained per ISO week ×
    /// sample type × source × region × lab (the strata of `report_week_stratum`) so that a report
    /// reads a few thousand aggregate rows instead of joining every sample, analysis and finding
    /// of the week. Both count only samples that are classified and have an ISO week, exactly
    /// the samples `report_week_stratum` counts:
    ///
    /// - `report_week_substance`: per substance, the samples with at least one detected finding
    ///   of it (for the substances and highest potency of a cell, and first-seen sample counts).
    /// - `report_week_concentration`: per substance, unit and concentration value, the detected
    ///   findings reported with that concentration (a histogram, for exact median concentrations).
    ///
    /// Kept exact by triggers on every write path, like `report-aggregates`; a finding update or
    /// delete is handled as "remove the old row, add the new one", where a sample stops counting
    /// for a substance only when none of its other findings names it. Existing rows are
    /// back-filled when the migration runs.
    static let reportWeekSubstances = SchemaMigration("report-week-substances") { db in
        typealias W = ReportWeekSubstanceSQL
        try db.execute(sql: """
            CREATE TABLE report_week_substance (
                iso_week TEXT NOT NULL, sample_type TEXT NOT NULL, source TEXT NOT NULL,
                region TEXT NOT NULL, lab_code TEXT NOT NULL, substance_id TEXT NOT NULL,
                samples INTEGER NOT NULL,
                PRIMARY KEY (\(W.substanceKey))
            ) WITHOUT ROWID;
            CREATE TABLE report_week_concentration (
                iso_week TEXT NOT NULL, sample_type TEXT NOT NULL, source TEXT NOT NULL,
                region TEXT NOT NULL, lab_code TEXT NOT NULL, substance_id TEXT NOT NULL,
                unit TEXT NOT NULL, concentration REAL NOT NULL, findings INTEGER NOT NULL,
                PRIMARY KEY (\(W.concentrationKey))
            ) WITHOUT ROWID;
            """)
        try W.createTriggers(db, verifiedOnly: false)
        try W.backfill(db, verifiedOnly: false)
    }

    /// Provisional samples (results awaiting verification) leave the substance aggregates: the
    /// report's substances, highest potency, median concentrations and first-seen counts are
    /// of verified results only, as its tested and positive counts are.
    static let reportWeekSubstancesVerified = SchemaMigration("report-week-substances-verified") { db in
        typealias W = ReportWeekSubstanceSQL
        for name in W.triggerNames { try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)") }
        try W.createTriggers(db, verifiedOnly: true)
        try SchemaMigration.makeDeferrable(db, triggers: W.triggerNames)
        try db.execute(sql: "DELETE FROM report_week_substance; DELETE FROM report_week_concentration")
        try W.backfill(db, verifiedOnly: true)
    }
}

extension ReportWeekSubstanceSQL {
    /// Fills both tables from what is stored.
    static func backfill(_ db: Database, verifiedOnly: Bool) throws {
        let sampleFindings = "sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id"
        let counted = "JOIN sample_classification c ON c.sample_id = s.id\(verifiedOnly ? " AND NOT c.provisional" : "")"
        try db.execute(sql: """
            INSERT INTO report_week_substance (\(substanceKey), samples)
            SELECT s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code, f.substance_id, COUNT(DISTINCT s.id)
            FROM \(sampleFindings) \(counted)
            WHERE \(identified("f")) AND s.iso_week IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
            INSERT INTO report_week_concentration (\(concentrationKey), findings)
            SELECT s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code, f.substance_id, f.unit, f.concentration, COUNT(*)
            FROM \(sampleFindings) \(counted)
            WHERE \(identified("f")) AND \(quantified("f")) AND s.iso_week IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
            """)
    }
}

/// SQL fragments of the `report-week-substances` triggers; `s` names the sample's columns.
enum ReportWeekSubstanceSQL {
    static let substanceKey = "\(ReportAggregateSQL.strata), substance_id"
    static let concentrationKey = "\(substanceKey), unit, concentration"

    static func identified(_ f: String) -> String { "\(f).detected AND \(f).substance_id IS NOT NULL" }
    static func quantified(_ f: String) -> String { "\(f).concentration IS NOT NULL AND \(f).unit IS NOT NULL" }
    static func classified(_ s: String, verifiedOnly: Bool) -> String {
        "EXISTS (SELECT 1 FROM sample_classification c WHERE c.sample_id = \(s).id\(verifiedOnly ? " AND NOT c.provisional" : ""))"
    }

    /// A whole sample's findings `f` (selected by `from` and `condition`) entering (`sign` 1) or
    /// leaving (-1) the aggregates: one sample per substance, every quantified finding.
    static func addSample(_ sign: String, s: String = "s", from: String, where condition: String, postgres: Bool = false) -> String {
        samples(sign, s: s, from: from, where: condition, postgres: postgres) + "\n"
            + concentrations(sign, s: s, from: from, where: condition, postgres: postgres)
    }

    /// Analysis `analysis` entering or leaving sample `sample`: a substance counts (or stops
    /// counting) for the sample only when no other analysis of it detected the substance.
    static func addAnalysis(_ sign: String, analysis: String, sample: String, verifiedOnly: Bool, postgres: Bool = false) -> String {
        let from = "finding f JOIN sample s ON s.id = \(sample)"
        let condition = "f.analysis_id = \(analysis).id AND \(identified("f")) AND \(classified("s", verifiedOnly: verifiedOnly))"
        let noOther = """
            NOT EXISTS (SELECT 1 FROM analysis a2 JOIN finding f2 ON f2.analysis_id = a2.id
                        WHERE a2.sample_id = s.id AND a2.id <> \(analysis).id AND f2.substance_id = f.substance_id AND f2.detected)
            """
        return samples(sign, s: "s", from: from, where: "\(condition) AND \(noOther)", postgres: postgres) + "\n"
            + concentrations(sign, s: "s", from: from, where: condition, postgres: postgres)
    }

    /// Finding row `row` (`NEW` or `OLD`) entering or leaving its sample: the substance counts (or
    /// stops counting) for the sample only when no other finding of the sample detected it.
    static func addFinding(_ sign: String, _ row: String, verifiedOnly: Bool, postgres: Bool = false) -> String {
        let from = "analysis a JOIN sample s ON s.id = a.sample_id"
        let condition = "a.id = \(row).analysis_id AND \(identified(row)) AND \(classified("s", verifiedOnly: verifiedOnly))"
        let noOther = """
            NOT EXISTS (SELECT 1 FROM analysis a2 JOIN finding f2 ON f2.analysis_id = a2.id
                        WHERE a2.sample_id = s.id AND f2.id <> \(row).id AND f2.substance_id = \(row).substance_id AND f2.detected)
            """
        return samples(sign, s: "s", substance: "\(row).substance_id", from: from, where: "\(condition) AND \(noOther)", postgres: postgres)
            + "\n" + concentrations(sign, s: "s", f: row, from: from, where: condition, postgres: postgres)
    }

    private static func strata(_ s: String) -> String {
        "\(s).iso_week, \(s).sample_type, \(s).source, COALESCE(\(s).region, ''), \(s).lab_code"
    }

    /// `sign` once per distinct substance selected. `postgres`: grouped by every selected key
    /// (PostgreSQL selects no column outside the grouping; the strata are one sample's anyway).
    private static func samples(_ sign: String, s: String, substance: String = "f.substance_id", from: String,
                                where condition: String, postgres: Bool = false) -> String {
        """
        INSERT INTO report_week_substance (\(substanceKey), samples)
        SELECT \(strata(s)), \(substance), \(sign) FROM \(from) WHERE (\(condition)) AND \(s).iso_week IS NOT NULL
        GROUP BY \(postgres ? "1, 2, 3, 4, 5, 6" : substance)
        ON CONFLICT (\(substanceKey)) DO UPDATE SET samples = \(ReportAggregateSQL.existing("report_week_substance", "samples", postgres)) + excluded.samples;
        """
    }

    /// `sign` per quantified finding selected.
    private static func concentrations(_ sign: String, s: String, f: String = "f", from: String, where condition: String,
                                       postgres: Bool = false) -> String {
        """
        INSERT INTO report_week_concentration (\(concentrationKey), findings)
        SELECT \(strata(s)), \(f).substance_id, \(f).unit, \(f).concentration, \(sign) * COUNT(*)
        FROM \(from) WHERE (\(condition)) AND \(quantified(f)) AND \(s).iso_week IS NOT NULL
        GROUP BY \(postgres ? "1, 2, 3, 4, 5, 6, 7, 8" : "\(f).substance_id, \(f).unit, \(f).concentration")
        ON CONFLICT (\(concentrationKey)) DO UPDATE SET findings = \(ReportAggregateSQL.existing("report_week_concentration", "findings", postgres)) + excluded.findings;
        """
    }
}

extension ReportWeekSubstanceSQL {
    /// The triggers that keep `report_week_substance` and `report_week_concentration` exact.
    /// `verifiedOnly`: they count only samples whose classification is not provisional (every
    /// counted result verified), and follow a classification turning provisional or verified.
    static func createTriggers(_ db: Database, verifiedOnly: Bool) throws {
        let sampleFindings = "sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id"
        let identified = Self.identified("f")
        let counted = { (row: String) -> String in verifiedOnly ? "NOT \(row).provisional" : "1" }
        let classified = { (s: String) -> String in Self.classified(s, verifiedOnly: verifiedOnly) }
        let sampleRows = "analysis a JOIN finding f ON f.analysis_id = a.id"
        try db.execute(sql: """
            CREATE TRIGGER report_week_substance_classification_insert AFTER INSERT ON sample_classification WHEN \(counted("NEW")) BEGIN
                \(addSample("1", from: sampleFindings, where: "s.id = NEW.sample_id AND \(identified)"))
            END;
            CREATE TRIGGER report_week_substance_classification_delete AFTER DELETE ON sample_classification WHEN \(counted("OLD")) BEGIN
                \(addSample("-1", from: sampleFindings, where: "s.id = OLD.sample_id AND \(identified)"))
            END;
            CREATE TRIGGER report_week_substance_classification_move AFTER UPDATE OF sample_id ON sample_classification
            WHEN OLD.sample_id <> NEW.sample_id BEGIN
                \(addSample("-1", from: sampleFindings, where: "s.id = OLD.sample_id AND \(identified) AND \(counted("OLD"))"))
                \(addSample("1", from: sampleFindings, where: "s.id = NEW.sample_id AND \(identified) AND \(counted("NEW"))"))
            END;
            CREATE TRIGGER report_week_substance_sample_delete BEFORE DELETE ON sample BEGIN
                \(addSample("-1", s: "OLD", from: sampleRows, where: "a.sample_id = OLD.id AND \(identified) AND \(classified("OLD"))"))
            END;
            CREATE TRIGGER report_week_substance_sample_update AFTER UPDATE OF \(ReportAggregateSQL.sampleColumns) ON sample BEGIN
                \(addSample("-1", s: "OLD", from: sampleRows, where: "a.sample_id = OLD.id AND \(identified) AND \(classified("OLD"))"))
                \(addSample("1", s: "NEW", from: sampleRows, where: "a.sample_id = NEW.id AND \(identified) AND \(classified("NEW"))"))
            END;
            CREATE TRIGGER report_week_substance_analysis_delete BEFORE DELETE ON analysis BEGIN
                \(addAnalysis("-1", analysis: "OLD", sample: "OLD.sample_id", verifiedOnly: verifiedOnly))
            END;
            CREATE TRIGGER report_week_substance_analysis_move AFTER UPDATE OF sample_id ON analysis
            WHEN OLD.sample_id <> NEW.sample_id BEGIN
                \(addAnalysis("-1", analysis: "OLD", sample: "OLD.sample_id", verifiedOnly: verifiedOnly))
                \(addAnalysis("1", analysis: "NEW", sample: "NEW.sample_id", verifiedOnly: verifiedOnly))
            END;
            CREATE TRIGGER report_week_substance_finding_insert AFTER INSERT ON finding BEGIN
                \(addFinding("1", "NEW", verifiedOnly: verifiedOnly))
            END;
            CREATE TRIGGER report_week_substance_finding_delete AFTER DELETE ON finding BEGIN
                \(addFinding("-1", "OLD", verifiedOnly: verifiedOnly))
            END;
            CREATE TRIGGER report_week_substance_finding_update
            AFTER UPDATE OF substance_id, detected, analysis_id, concentration, unit ON finding BEGIN
                \(addFinding("-1", "OLD", verifiedOnly: verifiedOnly))
                \(addFinding("1", "NEW", verifiedOnly: verifiedOnly))
            END;
            """)
        guard verifiedOnly else { return }
        try db.execute(sql: """
            CREATE TRIGGER report_week_substance_classification_verified AFTER UPDATE OF provisional ON sample_classification
            WHEN OLD.provisional <> NEW.provisional AND OLD.sample_id = NEW.sample_id BEGIN
                \(addSample("-1", from: sampleFindings, where: "s.id = OLD.sample_id AND \(identified) AND NOT OLD.provisional"))
                \(addSample("1", from: sampleFindings, where: "s.id = NEW.sample_id AND \(identified) AND NOT NEW.provisional"))
            END;
            """)
    }

    /// The names of the triggers ``createTriggers(_:verifiedOnly:)`` makes.
    static let triggerNames = ["classification_insert", "classification_delete", "classification_move", "sample_delete",
                               "sample_update", "analysis_delete", "analysis_move", "finding_insert", "finding_delete",
                               "finding_update", "classification_verified"].map { "report_week_substance_\($0)" }
}
