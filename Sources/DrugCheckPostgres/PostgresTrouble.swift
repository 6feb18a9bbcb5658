import Foundation
import NIOSSL
import PostgresNIO

/// What went wrong with a PostgreSQL database, in plain words with what to do; never the
/// driver's own error text alone.
public enum PostgresTrouble: Error, LocalizedError, Equatable {
    case badLocation(String, expected: String)
    case unreachable(String, reason: String)
    case refused(String, reason: String)
    case tlsFailed(String, reason: String)
    case statementFailed(String, reason: String)
    case notEmpty(String)
    case copyMismatch([String])
    /// The database lacks DrugCheck's schema steps named (all of them: no DrugCheck schema at all).
    case schemaNotCurrent(String, missing: [String])

    public var errorDescription: String? {
        switch self {
        case let .badLocation(text, expected):
            return "'\(text)' is not a PostgreSQL location: expected \(expected)."
        case let .unreachable(location, reason):
            return "No PostgreSQL server answers at \(location) (\(reason)). Start the server, or check the host and port in --db."
        case let .refused(location, reason):
            return "The PostgreSQL server at \(location) refused the connection: \(reason). Check the user, password and database name in --db."
        case let .tlsFailed(location, reason):
            return "No TLS connection to the PostgreSQL server at \(location): \(reason). Check sslmode and sslrootcert in --db, "
                + "or the server's certificate."
        case let .statementFailed(location, reason):
            return "The PostgreSQL database at \(location) refused a statement: \(reason). Nothing was changed by it."
        case let .notEmpty(location):
            return "The PostgreSQL database at \(location) already holds DrugCheck data: copy into a new, empty database (createdb NAME)."
        case let .copyMismatch(tables):
            return "The copy differs from its source in \(tables.joined(separator: ", ")): it was rolled back; nothing was kept."
        case let .schemaNotCurrent(location, missing) where missing == PostgresMigrator.migrations.map(\.identifier):
            return "The PostgreSQL database at \(location) holds no DrugCheck data: copy a database into it (drugcheck db copy --from FILE "
                + "--to \(location)) or create the schema (drugcheck db migrate --db \(location))."
        case let .schemaNotCurrent(location, missing):
            return "The PostgreSQL database at \(location) has an older DrugCheck schema (missing \(missing.joined(separator: ", "))): "
                + "update it with drugcheck db migrate --db \(location)."
        }
    }

    /// The driver's error said plainly: the server's own message (which names the table,
    /// column or constraint) or what the connection did.
    static func describe(_ error: any Error, at location: PostgresLocation, connecting: Bool) -> PostgresTrouble {
        if let trouble = error as? PostgresTrouble { return trouble }
        if let tls = tlsTrouble(error, at: location) { return tls }
        guard let psql = error as? PSQLError else {
            return connecting ? .unreachable(location.description, reason: "\(error)") : .statementFailed(location.description, reason: "\(error)")
        }
        if let message = psql.serverInfo?[.message] {
            let detail = psql.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return connecting ? .refused(location.description, reason: message + detail)
                : .statementFailed(location.description, reason: message + detail)
        }
        switch psql.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown:
            let reason = psql.underlying.map { "\($0)" } ?? "the connection closed"
            return .unreachable(location.description, reason: reason)
        case .authMechanismRequiresPassword:
            return .refused(location.description, reason: "it asks for a password: give it in the URL or in $PGPASSWORD")
        default:
            return connecting ? .refused(location.description, reason: psql.code.description)
                : .statementFailed(location.description, reason: psql.code.description)
        }
    }

    /// A TLS failure (no TLS offered, a certificate not accepted) said with the `sslmode` that asked for it.
    private static func tlsTrouble(_ error: any Error, at location: PostgresLocation) -> PostgresTrouble? {
        let mode = "sslmode=\(location.tls.rawValue)"
        if let psql = error as? PSQLError, psql.code == .sslUnsupported {
            return .tlsFailed(location.description, reason: "the server does not offer TLS, which \(mode) requires")
        }
        let underlying = (error as? PSQLError)?.underlying ?? error
        if let extra = underlying as? NIOSSLExtraError, extra == .failedToValidateHostname {
            return .tlsFailed(location.description, reason: "its certificate does not name the host \(location.host) (\(mode))")
        }
        switch underlying {
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return .tlsFailed(location.description, reason: "the handshake failed under \(mode): the server's certificate was not accepted "
                              + "(not signed by an authority in sslrootcert or the system's, or expired)")
        default:
            return nil
        }
    }
}
