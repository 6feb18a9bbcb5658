import Foundation
import Hummingbird

/// Answers a page's failure as an HTML page in the reader's language (the API's routes keep
/// their problem+json): not logged in → `303 /login?next=…`; forbidden, expired form, not
/// found, bad input, too many logins → the `error` page with its status.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext
    let renderer: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            do {
                return try await next(request, context)
            } catch let error as HTTPError where error.status == .notFound && !request.uri.path.hasPrefix("/v1/") {
                throw WebPageError.notFound(request.uri.path)   // an unknown page: the HTML 404, not the API's problem
            }
        } catch let error as WebPageError {
            if case .loginRequired(let next) = error {
                return PageRenderer.redirect(to: "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            let language = renderer.language(request, context)
            let (key, detail): (String, String?) = switch error {
            case .forbidden: ("error_forbidden", nil)
            case .csrf: ("error_csrf", nil)
            case .notFound(let what): ("error_not_found", what)
            case .badRequest(let what): ("error_bad_request", what)
            case .tooManyLogins: ("error_too_many_logins", nil)
            case .loginRequired: ("error_forbidden", nil)
            }
            return try renderer.page("error", title: key, data: ["message": renderer.texts.text(key, language),
                                                                  "detail": detail ?? "", "forbidden": error.status == .forbidden],
                                     request: request, context: context, status: error.status)
        }
    }
}
