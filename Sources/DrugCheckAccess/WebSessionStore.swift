import Crypto
import DrugCheckStore
import Foundation
import GRDB

/// Server-side web sessions: an opaque value per session key, with an expiry. Keys are stored
/// as their SHA-256, so the file holds no usable cookie value.
///
/// Sessions live in a small database file of their own beside DrugCheck's
/// (`drugcheck.sqlite.sessions`), not in it: reports and pages are cached per data version of
/// the database, and a login or logout there would be new data that has every cached report
/// rendered again. Backups leave sessions out; after a restore, people log in again.
///
/// ```swift
/// let sessions = try WebSessionStore(database: db)
/// try sessions.set(key: cookieValue, value: data, expiresAt: Date() + 8 * 3600)
/// let data = try sessions.value(key: cookieValue)   // nil once expired or removed
/// ```
public struct WebSessionStore: Sendable {
    public let path: String
    let pool: DatabasePool

    public init(database: DrugCheckDatabase) throws {
        path = database.path + ".sessions"
        do {
            pool = try DatabasePool(path: path)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("web-session") { db in
                try db.execute(sql: """
                    CREATE TABLE web_session (key_hash TEXT PRIMARY KEY, value BLOB NOT NULL, expires_at DATETIME) WITHOUT ROWID;
                    CREATE INDEX web_session_expiry ON web_session(expires_at);
                    """)
            }
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            if let trouble = DatabaseTrouble(error, path: path), trouble.kind != .damaged { throw trouble }
            throw AccessStoreError.invalid("the web sessions file \(path) cannot be used (\(error.message ?? "\(error.resultCode)")): "
                                           + "delete it and start again; everyone then logs in again, nothing else is lost")
        }
    }

    /// Stores (or replaces) a session. `create` refuses a key already in use.
    public func set(key: String, value: Data, expiresAt: Date?, create: Bool = false) throws {
        try pool.write { db in
            if create, try Bool.fetchOne(db, sql: "SELECT 1 FROM web_session WHERE key_hash = ?", arguments: [Self.hash(key)]) == true {
                throw AccessStoreError.invalid("a session with this key exists already")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO web_session (key_hash, value, expires_at) VALUES (?, ?, ?)",
                           arguments: [Self.hash(key), value, expiresAt])
        }
    }

    /// The session's value and expiry, or nil when there is none or it has expired.
    public func value(key: String, now: Date = Date()) throws -> (value: Data, expiresAt: Date?)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT value, expires_at FROM web_session WHERE key_hash = ?",
                                             arguments: [Self.hash(key)]) else { return nil }
            let expiresAt: Date? = row["expires_at"]
            if let expiresAt, expiresAt <= now { return nil }
            return (row["value"], expiresAt)
        }
    }

    public func remove(key: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE key_hash = ?", arguments: [Self.hash(key)])
        }
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired(now: Date = Date()) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
