import GRDB

extension SchemaMigration {
    /// Amendments keep every version of a result (ISO/IEC 17025 §7.8.8: an amended report keeps the
    /// original identifiable):
    ///
    /// - `analysis.run_id`: the first version of the run this analysis is a version of (NULL: it is
    ///   the first); `analysis.superseded_by`: the version that replaced it.
    /// - `analysis.counted`: the one version of each run that reports count (the latest verified,
    ///   else the latest submitted; a rejected one never). Kept by ``AnalysisVersions``.
    /// - `parked_finding`: the findings of versions that do not count, moved out of `finding` so
    ///   that every report aggregate (kept by triggers on `finding`) counts only counted versions;
    ///   `spectrum_identification.parked_finding_id` keeps an identification's link to its parked finding.
    /// - `import_batch.reason`: why an amendment was made (`drugcheck samples amend --reason`).
    /// - `bulletin.review_flag`: why a published bulletin needs a reviewer (its evidence was amended).
    /// - `bulletin_message.audit_head`: the audit log's head when the message was issued, printed in it.
    ///
    /// Findings of rejected results stored before this migration are parked now.
    static let amendments = SchemaMigration("amendments") { db in
        try db.execute(sql: """
            ALTER TABLE analysis ADD COLUMN run_id INTEGER REFERENCES analysis(id);
            ALTER TABLE analysis ADD COLUMN superseded_by INTEGER REFERENCES analysis(id);
            ALTER TABLE analysis ADD COLUMN counted BOOLEAN NOT NULL DEFAULT 1;
            CREATE INDEX analysis_run ON analysis(run_id) WHERE run_id IS NOT NULL;
            ALTER TABLE import_batch ADD COLUMN reason TEXT;
            ALTER TABLE bulletin ADD COLUMN review_flag TEXT;
            ALTER TABLE bulletin_message ADD COLUMN audit_head TEXT;
            CREATE TABLE parked_finding (
                id INTEGER PRIMARY KEY NOT NULL,
                analysis_id INTEGER NOT NULL REFERENCES analysis(id) ON DELETE CASCADE,
                reported_name TEXT NOT NULL,
                substance_id TEXT,
                detected BOOLEAN NOT NULL,
                concentration REAL,
                unit TEXT,
                rt_min REAL,
                mz REAL,
                match_score REAL,
                confidence TEXT
            );
            ALTER TABLE spectrum_identification ADD COLUMN parked_finding_id INTEGER;
            CREATE INDEX parked_finding_analysis ON parked_finding(analysis_id);
            UPDATE analysis SET counted = 0 WHERE status = 'rejected';
            """)
        try AnalysisVersions.park(db, where: "counted = 0")
    }
}
