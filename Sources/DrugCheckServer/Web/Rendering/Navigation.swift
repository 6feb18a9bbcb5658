import DrugCheckAccess
import DrugCheckStore

/// The links in the page header for each role, and each role's home page.
enum Navigation {
    struct Link {
        var path: String
        /// Key of its label in the page words.
        var key: String
    }

    static func home(for role: Role) -> String {
        switch role {
        case .lab: "/lab"
        case .verifier: "/verify"
        case .ministry: "/ministry"
        case .reviewer: "/review"
        case .subscriber: "/bulletins"
        case .admin: "/admin"
        }
    }

    static func links(for role: Role?) -> [Link] {
        switch role {
        case .lab: [.init(path: "/lab", key: "nav_upload"), .init(path: "/lab/imports", key: "nav_imports"), .init(path: "/samples", key: "nav_samples")]
        case .verifier: [.init(path: "/verify", key: "nav_verify"), .init(path: "/samples", key: "nav_samples")]
        case .ministry: [.init(path: "/ministry", key: "nav_week"), .init(path: "/ministry/trend", key: "nav_trend"), .init(path: "/bulletins", key: "nav_bulletins")]
        case .reviewer: [.init(path: "/review", key: "nav_review"), .init(path: "/ministry", key: "nav_week"),
                         .init(path: "/audit", key: "nav_audit"), .init(path: "/bulletins", key: "nav_bulletins")]
        case .subscriber: [.init(path: "/bulletins", key: "nav_bulletins"), .init(path: "/subscriber", key: "nav_webhooks")]
        case .admin: [.init(path: "/admin", key: "nav_admin"), .init(path: "/lab/imports", key: "nav_imports"), .init(path: "/samples", key: "nav_samples"),
                      .init(path: "/ministry", key: "nav_week"), .init(path: "/audit", key: "nav_audit")]
        case nil: [.init(path: "/bulletins", key: "nav_bulletins")]
        }
    }
}
