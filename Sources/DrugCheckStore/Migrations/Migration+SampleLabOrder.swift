import GRDB

extension SchemaMigration {
    /// A lab's samples in id order (the lab's sample list pages through them): without it SQLite
    /// reads all of a lab's samples through the (lab, sample id) key and sorts them — 0.42 s for a
    /// lab with 420,917 samples, 0.009 s with this index (BENCHMARKS.md, "Web pages").
    static let sampleLabOrder = SchemaMigration("sample-lab-order") { db in
        try db.execute(sql: "CREATE INDEX sample_lab_order ON sample(lab_code, id)")
    }
}
