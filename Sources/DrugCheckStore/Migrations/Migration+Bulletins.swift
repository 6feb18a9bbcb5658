import GRDB

extension SchemaMigration {
    /// Early-warning bulletins (issue 6): the bulletins with their review state, every message
    /// that was published (for CAP `references` and the Atom feed), the audit log, subscribers
    /// and the delivery outbox.
    ///
    /// One bulletin per event: `subject` names what the event is about (for example
    /// `high_potency:carfentanil`) and `period_start`/`period_end` when it happened, so a later
    /// scan that sees the same event updates the row instead of adding one.
    static let bulletins = SchemaMigration("v3-bulletins") { db in
        try db.execute(sql: """
            CREATE TABLE bulletin (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                trigger_kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'published', 'cancelled')),
                msg_type TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel', 'Error')),
                version INTEGER NOT NULL DEFAULT 1,
                facts TEXT NOT NULL,
                note TEXT,
                created_by TEXT NOT NULL,
                edited_by TEXT NOT NULL,
                approved_by TEXT,
                created_at DATETIME NOT NULL,
                updated_at DATETIME NOT NULL
            );
            CREATE INDEX bulletin_subject ON bulletin(subject, period_start);
            CREATE TABLE bulletin_message (
                bulletin_id INTEGER NOT NULL REFERENCES bulletin(id) ON DELETE CASCADE,
                version INTEGER NOT NULL,
                identifier TEXT NOT NULL UNIQUE,
                sent DATETIME NOT NULL,
                msg_type TEXT NOT NULL,
                facts TEXT NOT NULL,
                note TEXT,
                PRIMARY KEY (bulletin_id, version)
            );
            CREATE TABLE bulletin_audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                bulletin_id INTEGER NOT NULL REFERENCES bulletin(id) ON DELETE CASCADE,
                action TEXT NOT NULL,
                actor TEXT NOT NULL,
                at DATETIME NOT NULL,
                detail TEXT
            );
            CREATE INDEX bulletin_audit_bulletin ON bulletin_audit(bulletin_id, id);
            CREATE TABLE subscriber (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                url TEXT NOT NULL,
                secret TEXT NOT NULL,
                format TEXT NOT NULL CHECK (format IN ('cap', 'json')),
                classes TEXT NOT NULL DEFAULT '[]',
                regions TEXT NOT NULL DEFAULT '[]',
                min_severity TEXT NOT NULL DEFAULT 'Unknown',
                languages TEXT NOT NULL DEFAULT '[]',
                created_at DATETIME NOT NULL
            );
            -- One delivery per published message and subscriber; rows outlive the process.
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                bulletin_id INTEGER NOT NULL REFERENCES bulletin(id) ON DELETE CASCADE,
                message_identifier TEXT NOT NULL,
                subscriber_id INTEGER NOT NULL REFERENCES subscriber(id) ON DELETE CASCADE,
                idempotency_key TEXT NOT NULL UNIQUE,
                content_type TEXT NOT NULL,
                payload BLOB NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at DATETIME NOT NULL,
                last_error TEXT,
                delivered_at DATETIME,
                UNIQUE (message_identifier, subscriber_id)
            );
            CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
            """)
    }
}
