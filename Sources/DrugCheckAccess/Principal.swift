/// The authenticated caller behind a bearer token or a web session.
///
/// ```swift
/// if let caller = try AccessStore(database: db).authenticate(secret), caller.role == .lab {
///     print("lab", caller.labCode!)
/// }
/// ```
public struct Principal: Codable, Hashable, Sendable {
    public var userID: Int64
    public var userName: String
    public var role: Role
    /// Set for (and only for) `lab` users.
    public var labCode: String?
    /// The bearer token used, or nil for a web session.
    public var tokenID: Int64?

    public init(userID: Int64, userName: String, role: Role, labCode: String?, tokenID: Int64?) {
        self.userID = userID
        self.userName = userName
        self.role = role
        self.labCode = labCode
        self.tokenID = tokenID
    }
}
