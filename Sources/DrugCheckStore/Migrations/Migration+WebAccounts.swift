import GRDB

extension SchemaMigration {
    /// Web app accounts and sessions: a user may have a password (a bcrypt hash, never the
    /// password), a TOTP second factor, a preferred language, and may be disabled (tokens and
    /// sessions then stop working). `web_session` holds server-side sessions by the SHA-256 of
    /// their cookie value, so a copy of the database gives no usable session.
    static let webAccounts = SchemaMigration("web-accounts") { db in
        try db.execute(sql: """
            ALTER TABLE api_user ADD COLUMN password_hash TEXT;
            ALTER TABLE api_user ADD COLUMN totp_secret TEXT;
            ALTER TABLE api_user ADD COLUMN language TEXT;
            ALTER TABLE api_user ADD COLUMN disabled_at DATETIME;
            CREATE TABLE web_session (
                key_hash TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                expires_at DATETIME
            ) WITHOUT ROWID;
            CREATE INDEX web_session_expiry ON web_session(expires_at);
            """)
    }
}
