import GRDB

extension SchemaMigration {
    /// The tamper-evident audit log (`Audit/AuditLog.swift`): append-only, so UPDATE and DELETE
    /// raise. Someone with the sqlite3 shell can drop the triggers; the hash chain is what finds
    /// that. Indexes on the batch columns let a batch's digest read its rows directly. Batches
    /// stored before the log existed get their digests in one `baseline` entry.
    static let audit = SchemaMigration("audit-log") { db in
        try db.execute(sql: """
            CREATE TABLE audit_entry (
                seq INTEGER PRIMARY KEY NOT NULL,
                recorded_at TEXT NOT NULL,
                actor TEXT NOT NULL,
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                details TEXT NOT NULL DEFAULT '{}',
                batch_digests TEXT NOT NULL DEFAULT '{}',
                content_sha256 TEXT NOT NULL,
                previous_sha256 TEXT NOT NULL,
                entry_sha256 TEXT NOT NULL UNIQUE
            );
            CREATE INDEX audit_entry_subject ON audit_entry(subject);
            CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE INDEX analysis_batch ON analysis(batch_id);
            CREATE INDEX sample_first_batch ON sample(first_batch_id);
            """)
        let batches = try Int64.fetchAll(db, sql: "SELECT id FROM import_batch WHERE outcome = 'imported'")
        if !batches.isEmpty {
            try AuditLog.append(.baseline, subject: "database", actor: "migration", details: ["batches": batches.count],
                                coveringBatches: Set(batches), in: db)
        }
    }
}
