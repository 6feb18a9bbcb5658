import Crypto
import DrugCheckStore
import Foundation
import GRDB

/// Server-side web sessions: an opaque value per session key, with an expiry. Keys are stored
/// as their SHA-256, so the table holds no usable cookie value.
///
/// ```swift
/// let sessions = WebSessionStore(database: db)
/// try sessions.set(key: cookieValue, value: data, expiresAt: Date() + 8 * 3600)
/// let data = try sessions.value(key: cookieValue)   // nil once expired or removed
/// ```
public struct WebSessionStore: Sendable {
    public let database: DrugCheckDatabase

    public init(database: DrugCheckDatabase) {
        self.database = database
    }

    /// Stores (or replaces) a session. `create` refuses a key already in use.
    public func set(key: String, value: Data, expiresAt: Date?, create: Bool = false) throws {
        try database.writer.write { db in
            if create, try Bool.fetchOne(db, sql: "SELECT 1 FROM web_session WHERE key_hash = ?", arguments: [Self.hash(key)]) == true {
                throw AccessStoreError.invalid("a session with this key exists already")
            }
            try db.execute(sql: "INSERT OR REPLACE INTO web_session (key_hash, value, expires_at) VALUES (?, ?, ?)",
                           arguments: [Self.hash(key), value, expiresAt])
        }
    }

    /// The session's value and expiry, or nil when there is none or it has expired.
    public func value(key: String, now: Date = Date()) throws -> (value: Data, expiresAt: Date?)? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT value, expires_at FROM web_session WHERE key_hash = ?",
                                             arguments: [Self.hash(key)]) else { return nil }
            let expiresAt: Date? = row["expires_at"]
            if let expiresAt, expiresAt <= now { return nil }
            return (row["value"], expiresAt)
        }
    }

    public func remove(key: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE key_hash = ?", arguments: [Self.hash(key)])
        }
    }

    /// Deletes expired sessions; returns how many.
    @discardableResult
    public func purgeExpired(now: Date = Date()) throws -> Int {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at <= ?", arguments: [now])
            return db.changesCount
        }
    }

    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
