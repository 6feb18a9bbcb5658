import Foundation

/// A person or system that calls the API, with one role (and one lab for `lab` users).
///
/// ```swift
/// let user = try AccessStore(database: db).createUser(name: "antwerp-uploader", role: .lab, labCode: "BE-DC01")
/// ```
public struct APIUser: Codable, Hashable, Sendable {
    public var id: Int64
    public var name: String
    public var role: Role
    public var labCode: String?
    public var createdAt: Date
}

/// A token's public facts; the secret itself is never stored.
public struct TokenInfo: Codable, Hashable, Sendable {
    public var id: Int64
    public var userID: Int64
    public var createdAt: Date
    public var revokedAt: Date?
}

/// A newly issued token: the only time its secret is available.
public struct IssuedToken: Sendable {
    public var info: TokenInfo
    public var secret: String
}

/// Why an access change was refused; the message is safe to show to the caller.
public enum AccessStoreError: Error, Equatable, CustomStringConvertible {
    case labRequired
    case labNotAllowed(Role)
    case duplicateUser(String)
    case duplicateLab(String)
    case unknownUser(Int64)
    case unknownUserName(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .labRequired: return "a lab user needs a lab code"
        case .labNotAllowed(let role): return "a \(role.rawValue) user is not tied to a lab; give no lab code"
        case .duplicateUser(let name): return "a user named '\(name)' already exists"
        case .duplicateLab(let code): return "lab '\(code)' already exists"
        case .unknownUser(let id): return "no user with id \(id)"
        case .unknownUserName(let name): return "no user named '\(name)' (see 'drugcheck users list')"
        case .invalid(let what): return what
        }
    }
}
