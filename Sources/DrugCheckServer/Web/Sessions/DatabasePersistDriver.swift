import DrugCheckAccess
import DrugCheckStore
import Foundation
import Hummingbird

/// Hummingbird's key/value persistence over the sessions file beside the DrugCheck database
/// (``WebSessionStore``), so that `SessionStorage` from hummingbird-auth keeps web sessions
/// server-side, across restarts and shared by every server instance on the same database.
///
/// ```swift
/// let storage = SessionStorage<WebSession>(DatabasePersistDriver(sessions: try WebSessionStore(database: db)))
/// ```
struct DatabasePersistDriver: PersistDriver {
    let sessions: WebSessionStore

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let data = try JSONEncoder().encode(value)
        let sessions = sessions
        do {
            try await Blocking.run { try sessions.set(key: key, value: data, expiresAt: Self.date(expires), create: true) }
        } catch is AccessStoreError {
            throw PersistError.duplicate
        }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let data = try JSONEncoder().encode(value)
        let sessions = sessions
        try await Blocking.run {
            // No new expiry keeps the one stored (PersistDriver's contract).
            let expiresAt = try expires.map { Self.date($0) } ?? sessions.value(key: key)?.expiresAt
            try sessions.set(key: key, value: data, expiresAt: expiresAt)
        }
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: type)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let sessions = sessions
        guard let stored = try await Blocking.run({ try sessions.value(key: key) }) else { return nil }
        guard let object = try? JSONDecoder().decode(type, from: stored.value) else { throw PersistError.invalidConversion }
        return (object, stored.expiresAt.map { .seconds(max(0, $0.timeIntervalSinceNow)) })
    }

    func remove(key: String) async throws {
        let sessions = sessions
        try await Blocking.run { try sessions.remove(key: key) }
    }

    private static func date(_ duration: Duration?) -> Date? {
        duration.map { Date(timeIntervalSinceNow: TimeInterval($0.components.seconds)) }
    }
}
