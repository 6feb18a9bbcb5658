import DrugCheckAccess
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdAuth

/// The web app's session settings and storage: hummingbird-auth's `SessionStorage` over the
/// database, the cookie (`drugcheck_session`: HttpOnly, SameSite=Strict, Secure) and its lifetime.
///
/// ```swift
/// let sessions = try WebSessions(database: db)
/// let cookie = try await sessions.storage.save(session: WebSession(userID: 7), expiresIn: sessions.lifetime)
/// ```
struct WebSessions: Sendable {
    static let cookieName = "drugcheck_session"
    /// The double-submit cookie that guards forms shown before login (`/login`).
    static let anonymousCSRFCookie = "drugcheck_csrf"
    let storage: SessionStorage<WebSession>
    /// A session unused this long has expired.
    let lifetime: Duration = .seconds(8 * 3600)

    init(store: WebSessionStore) {
        // Secure: browsers keep such cookies on https and on http://localhost / 127.0.0.1 (a
        // potentially trustworthy origin), which is where `drugcheck serve` listens by default.
        let cookie = SessionCookieParameters(name: Self.cookieName, path: "/", secure: true, sameSite: .strict)
        storage = SessionStorage(DatabasePersistDriver(sessions: store),
                                 configuration: .init(sessionCookieParameters: cookie, keyPrefix: ""))
    }

    /// The session cookie for an id, expiring one lifetime from now (as `SessionStorage.save` makes it).
    func cookie(id: String) -> Cookie {
        Cookie(name: Self.cookieName, value: id, expires: Date(timeIntervalSinceNow: TimeInterval(lifetime.components.seconds)),
               path: "/", secure: true, httpOnly: true, sameSite: .strict)
    }
}
