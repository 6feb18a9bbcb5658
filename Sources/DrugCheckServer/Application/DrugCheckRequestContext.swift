import DrugCheckAccess
import DrugCheckStore
import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage, the caller behind the bearer token or
/// web session (if any), the peer address (for rate limiting anonymous callers) and, for a
/// page's form, its fields once the CSRF check has read them.
public struct DrugCheckRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The database's data version when the request arrived (see ``DatabaseChangeProbe``).
    public var dataVersion: Int64 = -1
    public let remoteAddress: String?
    /// The browser's session, when the caller came with the session cookie.
    var webSession: WebSession?
    /// The submitted form of a page's `POST`, read by ``CSRFMiddleware``.
    var form: WebForm?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The authenticated caller; routes registered with roles have checked it already.
    var caller: Principal {
        get throws {
            guard let principal else { throw Problem.unauthorized }
            return principal
        }
    }
}
