import Foundation

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as given
/// to `--db` or `$DRUGCHECK_DB` (`postgresql://` too; the password may also come from
/// `$PGPASSWORD`), with libpq's TLS options `sslmode` (`disable`, `prefer` — the default —,
/// `require`, `verify-ca`, `verify-full`) and `sslrootcert` (a PEM file of the certificates to
/// trust; the system's otherwise). Anything else names an SQLite file.
///
/// ```swift
/// let location = try PostgresLocation(parsing: "postgres://drugcheck@db.example.org/drugcheck?sslmode=verify-full")
/// let session = try PostgresSession.connect(to: location)
/// ```
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls = TLS.prefer
    /// `sslrootcert`: the certificates that may sign the server's (PEM); nil trusts the system's.
    public var rootCertificates: String?

    /// libpq's `sslmode`, with its meaning: whether the connection is encrypted, and how much of
    /// the server's certificate is checked.
    public enum TLS: String, Sendable, CaseIterable {
        /// Never encrypted.
        case disable
        /// Encrypted when the server offers it, else not; the certificate is not checked.
        case prefer
        /// Always encrypted; the certificate is checked only when `sslrootcert` is given (as libpq does).
        case require
        /// Always encrypted; the certificate must be signed by a trusted authority.
        case verifyCA = "verify-ca"
        /// Always encrypted; the certificate must be signed by a trusted authority and name the host.
        case verifyFull = "verify-full"
    }

    /// Whether `text` is a PostgreSQL URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String) {
        (self.host, self.port, self.user, self.password, self.database) = (host, port, user, password, database)
    }

    public init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw PostgresTrouble.badLocation(text, expected: "postgres://USER@HOST:PORT/DATABASE")
        }
        guard let host = url.host, !host.isEmpty else {
            throw PostgresTrouble.badLocation(text, expected: "a host after '@', as in postgres://drugcheck@db.example.org:5432/drugcheck")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresTrouble.badLocation(text, expected: "one database name after the host, as in postgres://drugcheck@localhost/drugcheck")
        }
        self.init(host: host, port: url.port ?? 5432, user: url.user ?? environment["PGUSER"] ?? "postgres",
                  password: url.password ?? environment["PGPASSWORD"], database: database)
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLS(rawValue: item.value ?? "") else {
                    throw PostgresTrouble.badLocation(text, expected: "sslmode=" + TLS.allCases.map(\.rawValue).joined(separator: ", ") + " (got '\(item.value ?? "")')")
                }
                tls = mode
            case "sslrootcert" where !(item.value ?? "").isEmpty:
                rootCertificates = item.value
            default:
                throw PostgresTrouble.badLocation(text, expected: "no option but sslmode and sslrootcert (got '\(item.name)')")
            }
        }
    }

    /// The location without its password, for messages and logs.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
