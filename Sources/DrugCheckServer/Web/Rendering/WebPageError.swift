import Hummingbird

/// Why a page cannot be shown; rendered as an HTML page by ``PageErrorMiddleware``.
enum WebPageError: Error {
    /// Not logged in: go to the login page and come back.
    case loginRequired(next: String)
    case forbidden
    case notFound(String)
    /// A form without the session's CSRF token (expired page, or a forged request).
    case csrf
    case badRequest(String)
    case tooManyLogins

    var status: HTTPResponse.Status {
        switch self {
        case .loginRequired: .seeOther
        case .forbidden, .csrf: .forbidden
        case .notFound: .notFound
        case .badRequest: .badRequest
        case .tooManyLogins: .tooManyRequests
        }
    }
}
