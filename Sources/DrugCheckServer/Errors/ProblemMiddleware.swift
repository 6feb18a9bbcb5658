import DrugCheckStore
import Hummingbird
import Logging

/// Turns every error into an RFC 9457 problem response. Known HTTP errors keep their status
/// with a generic title; anything else is logged with its details and answered as a bare 500,
/// so no internal detail reaches the caller.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = DrugCheckRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let detail = error.status == .notFound ? "no such route: \(request.method.rawValue) \(request.uri.path)" : nil
            return try Problem(status: error.status, title: error.status.reasonPhrase, detail: detail).response(from: request, context: context)
        } catch let error where DatabaseTrouble.of(error, path: "the database") != nil {
            return try Self.unavailable(DatabaseTrouble.of(error, path: "the database")!, request: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(reflecting: error))])
            return try Problem(status: .internalServerError, title: "Internal server error",
                               detail: "the request could not be completed; it has been logged").response(from: request, context: context)
        }
    }

    /// The database file's trouble: logged for the operator with the file, answered 503 without it.
    private static func unavailable(_ trouble: DatabaseTrouble, request: Request, context: Context) throws -> Response {
        context.logger.error("database trouble", metadata: ["path": .string(request.uri.path), "error": .string(trouble.description)])
        return try Problem(status: .serviceUnavailable, title: "Service unavailable",
                           detail: "the database cannot be written (\(trouble.kind.rawValue.replacingOccurrences(of: "_", with: " "))); nothing was changed; the operator has been told",
                           headers: [.retryAfter: "60"]).response(from: request, context: context)
    }
}
