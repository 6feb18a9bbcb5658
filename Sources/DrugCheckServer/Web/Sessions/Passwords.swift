import HummingbirdBcrypt

/// Password hashing for web logins: bcrypt (hummingbird-auth), cost 12, and the rule a new
/// password must follow. Passwords are never stored or logged.
///
/// ```swift
/// let hash = try Passwords.hash("correct horse battery")
/// Passwords.verify("correct horse battery", hash: hash)   // true
/// ```
public enum Passwords {
    public static let minimumLength = 10

    /// Why a password is refused, in words for the person choosing it.
    public struct Refused: Error, CustomStringConvertible {
        public let description: String
    }

    public static func hash(_ password: String) throws -> String {
        guard password.count >= minimumLength else {
            throw Refused(description: "a password needs at least \(minimumLength) characters")
        }
        // bcrypt reads at most 72 bytes; a longer password would be silently truncated.
        guard password.utf8.count <= 72 else { throw Refused(description: "a password may have at most 72 bytes") }
        return Bcrypt.hash(password, cost: 12)
    }

    public static func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// A hash of a random password: verifying against it costs what a real check costs, so a
    /// login for an unknown user takes as long as one for a known user.
    static let decoy = Bcrypt.hash(WebSession.randomToken(), cost: 12)
}
