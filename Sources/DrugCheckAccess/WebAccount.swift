import DrugCheckStore
import Foundation
import GRDB

/// What the web app's login needs of a user: the password hash, the second factor and whether
/// the account is disabled. The password itself is never stored (see `Passwords` in the server).
public struct WebAccount: Hashable, Sendable {
    public var user: APIUser
    /// A bcrypt hash, or nil when the user has no password (token-only API users).
    public var passwordHash: String?
    /// Base32 TOTP secret (RFC 6238), or nil without a second factor.
    public var totpSecret: String?
    /// `en`, `nl`, `fr` or `de`, or nil to follow the browser.
    public var language: String?
    public var disabledAt: Date?

    public var isDisabled: Bool { disabledAt != nil }
}

extension AccessStore {
    /// The account of a user by name, or nil.
    ///
    /// ```swift
    /// if let account = try access.account(named: "ana"), !account.isDisabled { … }
    /// ```
    public func account(named name: String) throws -> WebAccount? {
        try store.fetchRows("SELECT * FROM api_user WHERE name = ?", [.text(name)]).first.map(Self.account)
    }

    public func account(id: Int64) throws -> WebAccount? {
        try store.fetchRows("SELECT * FROM api_user WHERE id = ?", [.integer(id)]).first.map(Self.account)
    }

    public func accounts() throws -> [WebAccount] {
        try store.fetchRows("SELECT * FROM api_user ORDER BY name").map(Self.account)
    }

    /// The caller behind a web session's user, or nil when the user is gone or disabled.
    public func principal(userID: Int64) throws -> Principal? {
        guard let account = try account(id: userID), !account.isDisabled else { return nil }
        return Principal(userID: account.user.id, userName: account.user.name, role: account.user.role,
                         labCode: account.user.labCode, tokenID: nil)
    }

    /// Stores a new password hash (computed by the caller: the store knows no hashing scheme).
    public func setPasswordHash(_ hash: String, userName: String, actor: String = "cli") throws {
        try update(userName: userName, sql: "password_hash = ?", [.text(hash)], action: "password set", actor: actor)
    }

    /// Sets or removes (nil) the user's TOTP secret.
    public func setTOTPSecret(_ secret: String?, userName: String, actor: String = "cli") throws {
        try update(userName: userName, sql: "totp_secret = ?", [secret.map { .text($0) } ?? .null],
                   action: secret == nil ? "second factor removed" : "second factor set", actor: actor)
    }

    /// Disables a user: its tokens and web sessions stop working at the next request.
    public func disable(userName: String, actor: String = "cli") throws {
        try update(userName: userName, sql: "disabled_at = ?", [.time(Date())], action: "disabled", actor: actor)
    }

    /// The user's page language (`en`, `nl`, `fr`, `de`) or nil to follow the browser. Not audited: a preference.
    public func setLanguage(_ language: String?, userID: Int64) throws {
        try store.writeTransaction { db in
            try db.execute("UPDATE api_user SET language = ? WHERE id = ?", [language.map { .text($0) } ?? .null, .integer(userID)])
        }
    }

    private func update(userName: String, sql: String, _ arguments: [StoredValue], action: String, actor: String) throws {
        try store.writeTransaction { db in
            guard try !db.rows("UPDATE api_user SET \(sql) WHERE name = ? RETURNING id", arguments + [.text(userName)]).isEmpty else {
                throw AccessStoreError.unknownUserName(userName)
            }
            try AuditLog.append(.user, subject: "user:\(userName)", actor: actor, details: ["action": action], in: db)
        }
    }

    static func account(_ row: Row) -> WebAccount {
        WebAccount(user: user(row), passwordHash: row["password_hash"], totpSecret: row["totp_secret"],
                   language: row["language"], disabledAt: row["disabled_at"])
    }
}
