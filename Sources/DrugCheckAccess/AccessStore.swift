import DrugCheckModel
import DrugCheckStore
import Foundation
import GRDB

/// Labs, API users and bearer tokens in the DrugCheck database, on SQLite or PostgreSQL (any
/// ``StoredRowWriter``).
///
/// ```swift
/// let access = AccessStore(database: db)          // or AccessStore(store: postgresSession)
/// let user = try access.createUser(name: "ministry-analyst", role: .ministry)
/// let token = try access.issueToken(userID: user.id)
/// print(token.secret)                         // shown once
/// let caller = try access.authenticate(token.secret)   // Principal(role: .ministry, …)
/// ```
public struct AccessStore: Sendable {
    public let store: any StoredRowWriter

    public init(store: any StoredRowWriter) {
        self.store = store
    }

    public init(database: DrugCheckDatabase) {
        self.init(store: database)
    }


    // MARK: Labs

    public func labs() throws -> [Lab] {
        try LabRows.all(from: store)
    }

    public func lab(code: String) throws -> Lab? {
        try labs().first { $0.code == code }
    }

    /// Registers a lab; recorded in the audit log as `actor`'s.
    public func createLab(_ lab: Lab, actor: String = "cli") throws {
        try Self.validateLabCode(lab.code)
        try store.writeTransaction { db in
            if try LabRows.exists(lab.code, in: db) { throw AccessStoreError.duplicateLab(lab.code) }
            try LabRows.insert(lab, in: db)
            try AuditLog.append(.lab, subject: "lab:\(lab.code)", actor: actor, details: ["name": lab.name, "country": lab.country], in: db)
        }
    }

    static func validateLabCode(_ code: String) throws {
        // ASCII only: a code is part of file names, URLs and report columns.
        let allowed = code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
        guard !code.isEmpty, code.utf8.count <= 64, allowed else {
            throw AccessStoreError.invalid("a lab code is 1 to 64 letters, digits, '-' or '_'")
        }
    }

    // MARK: Users

    /// Creates a user. A `lab` user's lab is created (named after its code) when it is not known yet.
    /// The change is recorded in the audit log as `actor`'s.
    public func createUser(name: String, role: Role, labCode: String? = nil, actor: String = "cli") throws -> APIUser {
        guard !name.isEmpty, name.count <= 200 else { throw AccessStoreError.invalid("a user name is 1 to 200 characters") }
        if role == .lab, labCode == nil { throw AccessStoreError.labRequired }
        if role != .lab, labCode != nil { throw AccessStoreError.labNotAllowed(role) }
        if let labCode { try Self.validateLabCode(labCode) }
        let now = Date()
        return try store.writeTransaction { db in
            guard try db.rows("SELECT 1 FROM api_user WHERE name = ?", [.text(name)]).isEmpty else {
                throw AccessStoreError.duplicateUser(name)
            }
            if let labCode {
                try LabRows.insert(Lab(code: labCode, name: labCode, country: ""), ignoringExisting: true, in: db)
            }
            let id = try Self.id(of: "api_user", db.rows(
                "INSERT INTO api_user (name, role, lab_code, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                [.text(name), .text(role.rawValue), labCode.map { .text($0) } ?? .null, .time(now)]))
            try AuditLog.append(.user, subject: "user:\(name)", actor: actor,
                                details: ["action": "created", "role": role.rawValue, "lab": labCode ?? ""], in: db)
            return APIUser(id: id, name: name, role: role, labCode: labCode, createdAt: now)
        }
    }

    public func users() throws -> [APIUser] {
        try store.fetchRows("SELECT * FROM api_user ORDER BY id").map(Self.user)
    }

    public func user(id: Int64) throws -> APIUser? {
        try store.fetchRows("SELECT * FROM api_user WHERE id = ?", [.integer(id)]).first.map(Self.user)
    }

    static func user(_ row: Row) -> APIUser {
        APIUser(id: row["id"], name: row["name"], role: Role(rawValue: row["role"]) ?? .subscriber,
                labCode: row["lab_code"], createdAt: row["created_at"])
    }

    // MARK: Tokens

    /// Issues a new token for a user; its secret is in the result and nowhere else. The audit
    /// log records the token's id and user as `actor`'s change, never the secret or its hash.
    public func issueToken(userID: Int64, actor: String = "cli") throws -> IssuedToken {
        let secret = BearerSecret.generate()
        let now = Date()
        let id = try store.writeTransaction { db -> Int64 in
            guard try !db.rows("SELECT 1 FROM api_user WHERE id = ?", [.integer(userID)]).isEmpty else {
                throw AccessStoreError.unknownUser(userID)
            }
            let id = try Self.id(of: "api_token", db.rows(
                "INSERT INTO api_token (user_id, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
                [.integer(userID), .text(BearerSecret.hash(secret)), .time(now)]))
            try AuditLog.append(.token, subject: "token:\(id)", actor: actor, details: ["action": "issued", "user_id": String(userID)], in: db)
            return id
        }
        return IssuedToken(info: TokenInfo(id: id, userID: userID, createdAt: now, revokedAt: nil), secret: secret)
    }

    public func tokens(userID: Int64) throws -> [TokenInfo] {
        try store.fetchRows("SELECT id, user_id, created_at, revoked_at FROM api_token WHERE user_id = ? ORDER BY id", [.integer(userID)]).map {
            TokenInfo(id: $0["id"], userID: $0["user_id"], createdAt: $0["created_at"], revokedAt: $0["revoked_at"])
        }
    }

    /// Revokes a token; returns false when there is no such live token. The revocation is
    /// recorded in the audit log as `actor`'s.
    @discardableResult
    public func revokeToken(id: Int64, actor: String = "cli") throws -> Bool {
        try store.writeTransaction { db in
            guard try !db.rows("UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING id",
                               [.time(Date()), .integer(id)]).isEmpty else { return false }
            try AuditLog.append(.token, subject: "token:\(id)", actor: actor, details: ["action": "revoked"], in: db)
            return true
        }
    }

    /// The caller a live token belongs to, or nil for an unknown or revoked token.
    public func authenticate(_ secret: String) throws -> Principal? {
        guard secret.hasPrefix(BearerSecret.prefix), secret.count == BearerSecret.prefix.count + 64 else { return nil }
        return try store.fetchRows("""
            SELECT t.id AS token_id, u.id AS user_id, u.name, u.role, u.lab_code
            FROM api_token t JOIN api_user u ON u.id = t.user_id
            WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL
            """, [.text(BearerSecret.hash(secret))]).first.flatMap { row in
            Role(rawValue: row["role"]).map {
                Principal(userID: row["user_id"], userName: row["name"], role: $0, labCode: row["lab_code"], tokenID: row["token_id"])
            }
        }
    }

    /// The id a `RETURNING id` statement gave.
    static func id(of table: String, _ rows: [[StoredValue]]) throws -> Int64 {
        guard case let .integer(id)? = rows.first?.first else { throw StoredWriteError.noRowID(table) }
        return id
    }
}
