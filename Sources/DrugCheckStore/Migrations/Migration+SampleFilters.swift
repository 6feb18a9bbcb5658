import GRDB

extension SchemaMigration {
    /// The sample list's filters on a national database (`/samples`, `GET /v1/samples`), each a
    /// page of 100 in id order without reading every sample of the lab:
    ///
    /// - `sample_lab_week`: a lab's samples of one week, in id order (24 s before on the
    ///   10-million-finding benchmark database for a lab with 1.8 M samples, SQLite walking the
    ///   lab's samples until it reached the week);
    /// - `analysis_status_sample`: whether a sample has a current result in a given state, one
    ///   seek per sample (9.7 s before: the list of every sample with such a result was built
    ///   first).
    ///
    /// The class filter needs no index: it probes `sample_classification` by its key.
    static let sampleFilters = SchemaMigration("sample-filters") { db in
        try db.execute(sql: """
            CREATE INDEX sample_lab_week ON sample(lab_code, iso_week);
            CREATE INDEX analysis_status_sample ON analysis(status, sample_id) WHERE superseded_by IS NULL;
            """)
    }
}

extension SchemaMigration {
    /// `sample_week` also keyed by region, before the sample type: a region's "sold as → found"
    /// table (`soldAsFound(week:region:)`, the ministry's region view) seeks that region's samples
    /// of the week instead of reading every sample of the week to compare its region (on the
    /// 10-million-finding benchmark database, 53 → 18 ms CPU in the `sqlite3` shell; BENCHMARKS.md).
    /// Still one index: a week (and type) without region uses its first column(s) as before.
    static let sampleWeekRegion = SchemaMigration("sample-week-region") { db in
        try db.execute(sql: """
            DROP INDEX sample_week;
            CREATE INDEX sample_week ON sample(iso_week, region, sample_type);
            """)
    }
}
