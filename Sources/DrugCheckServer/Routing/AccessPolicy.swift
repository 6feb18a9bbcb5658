import DrugCheckAccess
import DrugCheckStore

/// Who may use a route or a page: one rule for the API and the web app.
///
/// ```swift
/// switch AccessPolicy.decide(context.principal, roles: [.lab, .admin]) { case .allowed: … }
/// ```
enum AccessPolicy {
    enum Decision: Equatable {
        case allowed
        /// No caller: log in (web) or send a token (API).
        case unauthenticated
        case forbidden(Role)
    }

    /// Public routes (`roles` empty) admit everyone; the others, callers of those roles.
    static func decide(_ principal: Principal?, roles: Set<Role>) -> Decision {
        guard !roles.isEmpty else { return .allowed }
        guard let principal else { return .unauthenticated }
        return roles.contains(principal.role) ? .allowed : .forbidden(principal.role)
    }

    /// Lab isolation: a lab caller sees only its own lab's raw results; other roles that may
    /// read raw results see every lab's.
    static func mayReadRawResults(of labCode: String, caller: Principal) -> Bool {
        caller.role != .lab || caller.labCode == labCode
    }
}
