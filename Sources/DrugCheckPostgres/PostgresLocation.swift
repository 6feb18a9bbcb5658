import Foundation

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as given
/// to `--db` or `$DRUGCHECK_DB` (`postgresql://` too; the password may also come from
/// `$PGPASSWORD`). Anything else names an SQLite file.
///
/// ```swift
/// let location = try PostgresLocation(parsing: "postgres://drugcheck@127.0.0.1:5432/drugcheck")
/// let session = try PostgresSession.connect(to: location)
/// ```
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String

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
        if let unknown = url.queryItems?.first(where: { $0.name != "sslmode" || !["disable", "prefer"].contains($0.value ?? "") }) {
            throw PostgresTrouble.badLocation(text, expected: "no option but sslmode=disable (TLS to the database is not supported yet; got '\(unknown.name)')")
        }
        self.init(host: host, port: url.port ?? 5432, user: url.user ?? environment["PGUSER"] ?? "postgres",
                  password: url.password ?? environment["PGPASSWORD"], database: database)
    }

    /// The location without its password, for messages and logs.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }
}
