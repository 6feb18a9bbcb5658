import GRDB

/// Recomputes the report aggregates of whole ISO weeks from the samples, classifications and
/// findings stored for them: what an import batch does once at its end instead of firing the
/// per-row aggregate triggers (see `Migration+BatchAggregates.swift`). The result equals what the
/// triggers would have kept, because both count the same rows: `report_week_stratum` counts
/// classified samples with an ISO week (`report_week_provisional` the provisional ones among
/// them), the substance tables the verified ones among them; `report_substance_week` counts
/// every detected, identified finding of a sample with an ISO week.
///
/// A batch drops the aggregate triggers inside its transaction (``pause(_:)``) and creates them
/// again, as they were, before it commits (``resume(_:_:)``): no other connection ever sees them
/// missing, and a batch that rolls back restores them with everything else. Merely deferring them
/// (`aggregate_control.deferred`) still ran a trigger program and a look-up per inserted row, a
/// third of SQLite's time per row (BENCHMARKS.md, "Import").
enum BatchAggregates {
    /// Drops the triggers that keep the report aggregates; returns their definitions in creation order.
    static func pause(_ db: Database) throws -> [String] {
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%aggregate_control%' ORDER BY rowid
            """)
        for trigger in triggers { try db.execute(sql: "DROP TRIGGER \"\(trigger["name"] as String)\"") }
        return triggers.map { $0["sql"] }
    }

    /// Creates the triggers ``pause(_:)`` dropped, in their original order (the order they fire in).
    static func resume(_ db: Database, _ definitions: [String]) throws {
        for sql in definitions { try db.execute(sql: sql) }
    }

    /// Deletes and rebuilds every aggregate row of `weeks` (ISO week strings) on SQLite.
    static func recompute(_ db: Database, weeks: Set<String>) throws {
        guard !weeks.isEmpty else { return }
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS batch_week (iso_week TEXT PRIMARY KEY) WITHOUT ROWID")
        try db.execute(sql: "DELETE FROM temp.batch_week")
        let insert = try db.cachedStatement(sql: "INSERT INTO temp.batch_week (iso_week) VALUES (?)")
        for week in weeks { try insert.execute(arguments: [week]) }
        for statement in rebuild(weeks: "IN (SELECT iso_week FROM temp.batch_week)", postgres: false) + ["DELETE FROM temp.batch_week"] {
            try db.execute(sql: statement)
        }
    }

    /// The statements that delete and rebuild every aggregate row of the weeks `inWeeks` names
    /// (`IN (…)`), one per element: in SQLite's dialect, or PostgreSQL's (`postgres`: booleans
    /// counted as integers, the scratch table dropped at commit).
    static func rebuild(weeks inWeeks: String, postgres: Bool) -> [String] {
        let count = { (flag: String) in postgres ? "SUM((\(flag))::int)" : "SUM(\(flag))" }
        let classes = ReportAggregateSQL.classes
        let stratumCounts = ["COUNT(*)", count("s.week_basis = 'analysed'")]
            + classes.map { count("c.\($0)") } + classes.map { count("c.unexpected AND c.\($0)") }
        let strata = "s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code"
        let classified = "JOIN sample_classification c ON c.sample_id = s.id"
        let findings = postgres ? "pg_temp.batch_finding" : "temp.batch_finding"
        let findingStrata = "iso_week, sample_type, source, COALESCE(region, ''), lab_code"
        let countColumns = ReportAggregateSQL.countColumns.joined(separator: ", ")
        return [
            "DROP TABLE IF EXISTS \(findings)",
            // The batch's identified findings with their sample's strata, joined once for the four
            // finding aggregates below (each repeated the join: a quarter of their time).
            """
            CREATE TEMP TABLE batch_finding\(postgres ? " ON COMMIT DROP" : "") AS
            SELECT s.id AS sample_id, s.iso_week AS iso_week, s.sample_type AS sample_type, s.source AS source, s.region AS region,
                   s.lab_code AS lab_code, f.substance_id AS substance_id, f.unit AS unit, f.concentration AS concentration,
                   -- The substance tables count verified samples only (`report-week-substances-verified`).
                   EXISTS (SELECT 1 FROM sample_classification c WHERE c.sample_id = s.id AND NOT c.provisional) AS verified
            FROM sample s JOIN analysis a ON a.sample_id = s.id JOIN finding f ON f.analysis_id = a.id
            WHERE f.detected AND f.substance_id IS NOT NULL AND s.iso_week \(inWeeks)
            """,
            "DELETE FROM report_week_stratum WHERE iso_week \(inWeeks)",
            "DELETE FROM report_week_provisional WHERE iso_week \(inWeeks)",
            "DELETE FROM report_substance_week WHERE iso_week \(inWeeks)",
            "DELETE FROM report_week_substance WHERE iso_week \(inWeeks)",
            "DELETE FROM report_week_concentration WHERE iso_week \(inWeeks)",
            """
            INSERT INTO report_week_stratum (\(ReportAggregateSQL.strata), \(countColumns))
            SELECT \(strata), \(stratumCounts.joined(separator: ", ")) FROM sample s \(classified) WHERE s.iso_week \(inWeeks) GROUP BY 1, 2, 3, 4, 5
            """,
            """
            INSERT INTO report_week_provisional (\(ReportAggregateSQL.strata), \(countColumns))
            SELECT \(strata), \(stratumCounts.joined(separator: ", "))
            FROM sample s \(classified) WHERE c.provisional AND s.iso_week \(inWeeks) GROUP BY 1, 2, 3, 4, 5
            """,
            "INSERT INTO report_substance_week (substance_id, region, iso_week, findings) SELECT substance_id, '', iso_week, COUNT(*) FROM \(findings) GROUP BY 1, 3",
            """
            INSERT INTO report_substance_week (substance_id, region, iso_week, findings)
            SELECT substance_id, region, iso_week, COUNT(*) FROM \(findings) WHERE region IS NOT NULL GROUP BY 1, 2, 3
            """,
            """
            INSERT INTO report_week_substance (\(ReportWeekSubstanceSQL.substanceKey), samples)
            SELECT \(findingStrata), substance_id, COUNT(DISTINCT sample_id) FROM \(findings) WHERE verified GROUP BY 1, 2, 3, 4, 5, 6
            """,
            """
            INSERT INTO report_week_concentration (\(ReportWeekSubstanceSQL.concentrationKey), findings)
            SELECT \(findingStrata), substance_id, unit, concentration, COUNT(*) FROM \(findings)
            WHERE verified AND concentration IS NOT NULL AND unit IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
            """,
            "DROP TABLE \(findings)",
        ]
    }
}
