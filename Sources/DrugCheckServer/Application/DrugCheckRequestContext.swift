import DrugCheckStore
import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage, the caller behind the bearer token (if
/// any) and the peer address (for rate limiting anonymous callers).
public struct DrugCheckRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var principal: Principal?
    /// The database's data version when the request arrived (see ``DatabaseChangeProbe``).
    public var dataVersion: Int64 = -1
    public let remoteAddress: String?

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
