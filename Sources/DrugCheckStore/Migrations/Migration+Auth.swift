import GRDB

extension SchemaMigration {
    /// API users and their bearer tokens. A token is stored only as the hex SHA-256 of its
    /// secret; the secret is shown once, when it is issued. A `lab` user belongs to one lab.
    static let auth = SchemaMigration("auth-users-tokens") { db in
        try db.execute(sql: """
            CREATE TABLE api_user (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL CHECK (role IN ('lab', 'ministry', 'subscriber', 'reviewer', 'admin')),
                lab_code TEXT REFERENCES lab(code),
                created_at DATETIME NOT NULL,
                CHECK ((role = 'lab') = (lab_code IS NOT NULL))
            );
            CREATE TABLE api_token (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id INTEGER NOT NULL REFERENCES api_user(id) ON DELETE CASCADE,
                token_hash TEXT NOT NULL UNIQUE,
                created_at DATETIME NOT NULL,
                revoked_at DATETIME
            );
            CREATE INDEX api_token_user ON api_token(user_id);
            """)
    }
}
