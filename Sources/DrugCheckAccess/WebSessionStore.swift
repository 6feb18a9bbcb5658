import Crypto
import DrugCheckStore
import Foundation
import GRDB

/// Server-side web sessions: an opaque value per session key, with an expiry. Keys are stored
/// as their SHA-256, so the database holds no usable cookie value.
///
/// On SQLite, sessions live in a small database file of their own beside DrugCheck's
/// (`drugcheck.sqlite.sessions`), not in it: reports and pages are cached per data version of
/// the database, and a login or logout there would be new data that has every cached report
/// rendered again. Backups leave sessions out; after a restore, people log in again. On
/// PostgreSQL they are in the database's `web_session` table, shared by every server instance,
/// and written outside the writers' turn, which is what tells the instances' caches of new data.
///
/// ```swift
/// let sessions = try WebSessionStore(database: db)      // or WebSessionStore(statements: pool)
/// try sessions.set(key: cookieValue, value: data, expiresAt: Date() + 8 * 3600)
/// let data = try sessions.value(key: cookieValue)   // nil once expired or removed
/// ```
public struct WebSessionStore: Sendable {
    /// Where the sessions are: the sessions file, or the server database.
    public let place: String
    let statements: any StoredStatements & Sendable

    public init(database: DrugCheckDatabase) throws {
        let path = database.path + ".sessions"
        do {
            let pool = try DatabasePool(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("web-session") { db in
                try db.execute(sql: """
                    CREATE TABLE web_session (key_hash TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at DATETIME) WITHOUT ROWID;
                    CREATE INDEX web_session_expiry ON web_session(expires_at);
                    """)
            }
            try migrator.migrate(pool)
            self.init(statements: SessionFile(pool: pool), place: path)
        } catch let error as DatabaseError {
            if let trouble = DatabaseTrouble(error, path: path), trouble.kind != .damaged { throw trouble }
            throw AccessStoreError.invalid("the web sessions file \(path) cannot be used (\(error.message ?? "\(error.resultCode)")): "
                                           + "delete it and start again; everyone then logs in again, nothing else is lost")
        }
    }

    /// Sessions in a server database's `web_session` table, each statement on its own.
    public init(statements: any StoredStatements & Sendable, place: String) {
        self.statements = statements
        self.place = place
    }

    /// Stores (or replaces) a session. `create` refuses a key already in use.
    public func set(key: String, value: Data, expiresAt: Date?, create: Bool = false) throws {
        if create, try !statements.fetchRows("SELECT 1 FROM web_session WHERE key_hash = ?", [.text(Self.hash(key))]).isEmpty {
            throw AccessStoreError.invalid("a session with this key exists already")
        }
        try statements.execute("""
            INSERT INTO web_session (key_hash, value, expires_at) VALUES (?, ?, ?)
            ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
            """, [.text(Self.hash(key)), .blob(Array(value)), expiresAt.map { .text(Self.timestamp($0)) } ?? .null])
    }

    /// The session's value and expiry, or nil when there is none or it has expired.
    public func value(key: String, now: Date = Date()) throws -> (value: Data, expiresAt: Date?)? {
        guard let row = try statements.fetchRows("SELECT value, expires_at FROM web_session WHERE key_hash = ?",
                                                 [.text(Self.hash(key))]).first else { return nil }
        let expiresAt: Date? = row["expires_at"]
        if let expiresAt, expiresAt <= now { return nil }
        return (row["value"], expiresAt)
    }

    public func remove(key: String) throws {
        try statements.execute("DELETE FROM web_session WHERE key_hash = ?", [.text(Self.hash(key))])
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired(now: Date = Date()) throws -> Int {
        try statements.rows("DELETE FROM web_session WHERE expires_at <= ? RETURNING key_hash", [.text(Self.timestamp(now))]).count
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A time as GRDB stores dates ("2026-12-05 09:30:00.000", UTC), which sorts as text on both backends.
    static func timestamp(_ date: Date) -> String {
        guard case let .string(text) = date.databaseValue.storage else { return "\(date)" }
        return text
    }
}

/// The sessions file's statements, each a transaction of its own: reads by name
/// (`namedRows`, `fetchRows`) from the pool's readers, the rest through its writer (the
/// expired sessions' `DELETE … RETURNING` among them).
private struct SessionFile: StoredStatements, Sendable {
    let pool: DatabasePool

    func rows(_ sql: String, _ arguments: [StoredValue]) throws -> [[StoredValue]] {
        try pool.write { try $0.rows(sql, arguments) }
    }

    func namedRows(_ sql: String, _ arguments: [StoredValue]) throws -> (columns: [String], rows: [[StoredValue]]) {
        try pool.read { try $0.namedRows(sql, arguments) }
    }

    func execute(_ sql: String, _ arguments: [StoredValue]) throws {
        try pool.write { try $0.execute(sql, arguments) }
    }
}
