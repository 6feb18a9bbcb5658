import GRDB

/// Recomputes the report aggregates of whole ISO weeks from the samples, classifications and
/// findings stored for them: what an import batch does once at its end instead of firing the
/// per-row aggregate triggers (see `Migration+BatchAggregates.swift`). The result equals what the
/// triggers would have kept, because both count the same rows: `report_week_stratum` counts
/// classified samples with an ISO week (`report_week_provisional` the provisional ones among
/// them), the substance tables the verified ones among them; `report_substance_week` counts
/// every detected, identified finding of a sample with an ISO week.
enum BatchAggregates {
    static func pause(_ db: Database) throws {
        try db.execute(sql: "UPDATE aggregate_control SET deferred = 1 WHERE id = 1")
    }

    static func resume(_ db: Database) throws {
        try db.execute(sql: "UPDATE aggregate_control SET deferred = 0 WHERE id = 1")
    }

    /// Deletes and rebuilds every aggregate row of `weeks` (ISO week strings).
    static func recompute(_ db: Database, weeks: Set<String>) throws {
        guard !weeks.isEmpty else { return }
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS batch_week (iso_week TEXT PRIMARY KEY) WITHOUT ROWID")
        try db.execute(sql: "DELETE FROM temp.batch_week")
        let insert = try db.cachedStatement(sql: "INSERT INTO temp.batch_week (iso_week) VALUES (?)")
        for week in weeks { try insert.execute(arguments: [week]) }
        let inWeeks = "IN (SELECT iso_week FROM temp.batch_week)"
        let classes = ReportAggregateSQL.classes
        let stratumCounts = ["COUNT(*)", "SUM(s.week_basis = 'analysed')"]
            + classes.map { "SUM(c.\($0))" } + classes.map { "SUM(c.unexpected AND c.\($0))" }
        let strata = "s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code"
        let findings = "sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id"
        let identified = "f.detected AND f.substance_id IS NOT NULL"
        let classified = "JOIN sample_classification c ON c.sample_id = s.id"
        // The substance tables count verified samples only (`report-week-substances-verified`).
        let verified = "\(classified) AND NOT c.provisional"
        try db.execute(sql: """
            DELETE FROM report_week_stratum WHERE iso_week \(inWeeks);
            DELETE FROM report_week_provisional WHERE iso_week \(inWeeks);
            DELETE FROM report_substance_week WHERE iso_week \(inWeeks);
            DELETE FROM report_week_substance WHERE iso_week \(inWeeks);
            DELETE FROM report_week_concentration WHERE iso_week \(inWeeks);
            INSERT INTO report_week_stratum (\(ReportAggregateSQL.strata), \(ReportAggregateSQL.countColumns.joined(separator: ", ")))
            SELECT \(strata), \(stratumCounts.joined(separator: ", "))
            FROM sample s \(classified) WHERE s.iso_week \(inWeeks) GROUP BY 1, 2, 3, 4, 5;
            INSERT INTO report_week_provisional (\(ReportAggregateSQL.strata), \(ReportAggregateSQL.countColumns.joined(separator: ", ")))
            SELECT \(strata), \(stratumCounts.joined(separator: ", "))
            FROM sample s \(classified) WHERE c.provisional AND s.iso_week \(inWeeks) GROUP BY 1, 2, 3, 4, 5;
            INSERT INTO report_substance_week (substance_id, region, iso_week, findings)
            SELECT f.substance_id, '', s.iso_week, COUNT(*) FROM \(findings)
            WHERE \(identified) AND s.iso_week \(inWeeks) GROUP BY 1, 3;
            INSERT INTO report_substance_week (substance_id, region, iso_week, findings)
            SELECT f.substance_id, s.region, s.iso_week, COUNT(*) FROM \(findings)
            WHERE \(identified) AND s.region IS NOT NULL AND s.iso_week \(inWeeks) GROUP BY 1, 2, 3;
            INSERT INTO report_week_substance (\(ReportWeekSubstanceSQL.substanceKey), samples)
            SELECT \(strata), f.substance_id, COUNT(DISTINCT s.id) FROM \(findings) \(verified)
            WHERE \(identified) AND s.iso_week \(inWeeks) GROUP BY 1, 2, 3, 4, 5, 6;
            INSERT INTO report_week_concentration (\(ReportWeekSubstanceSQL.concentrationKey), findings)
            SELECT \(strata), f.substance_id, f.unit, f.concentration, COUNT(*) FROM \(findings) \(verified)
            WHERE \(identified) AND f.concentration IS NOT NULL AND f.unit IS NOT NULL AND s.iso_week \(inWeeks)
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
            DELETE FROM temp.batch_week;
            """)
    }
}
