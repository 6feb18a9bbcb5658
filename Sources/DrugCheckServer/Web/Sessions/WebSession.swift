import Foundation

/// What a logged-in browser's server-side session holds: the user, the token its forms must
/// carry (CSRF), the language chosen on a page and when the session was last refreshed.
struct WebSession: Codable, Sendable, Equatable {
    var userID: Int64
    var csrf: String
    var language: String?
    var refreshedAt: Date

    init(userID: Int64, language: String? = nil, refreshedAt: Date = Date()) {
        self.userID = userID
        csrf = Self.randomToken()
        self.language = language
        self.refreshedAt = refreshedAt
    }

    /// 32 random bytes, URL-safe base64: for CSRF tokens.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
