import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL database with a blocking API, like the SQLite store's: the
/// commands and the report are synchronous code. Queries run on SwiftNIO's event loops and are
/// waited for on the caller's thread, never on an event loop.
///
/// ```swift
/// let session = try PostgresSession.connect(to: location)
/// defer { session.close() }
/// let rows = try session.query("SELECT count(*) FROM sample")
/// ```
public final class PostgresSession: Sendable {
    public let location: PostgresLocation
    let connection: PostgresConnection
    let logger: Logger
    /// Statements sent without waiting for their answers (``send(_:_:)``), oldest first.
    private let unanswered = NIOLockedValueBox<[EventLoopFuture<PostgresQueryResult>]>([])
    /// Whether a write transaction's body runs: its statements that return nothing are only sent.
    let pipelining = NIOLockedValueBox(false)

    private init(location: PostgresLocation, connection: PostgresConnection, logger: Logger) {
        self.location = location
        self.connection = connection
        self.logger = logger
    }

    /// Connects, or says plainly why it could not (no server, wrong user, no such database).
    public static func connect(to location: PostgresLocation) throws -> PostgresSession {
        var logger = Logger(label: "drugcheck.postgres")
        logger.logLevel = .critical
        do {
            var configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                                 password: location.password, database: location.database,
                                                                 tls: try tls(for: location))
            configuration.options.connectTimeout = .seconds(10)
            let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                            id: 1, logger: logger).wait()
            return PostgresSession(location: location, connection: connection, logger: logger)
        } catch {
            throw PostgresTrouble.describe(error, at: location, connecting: true)
        }
    }

    /// The connection's TLS as libpq's `sslmode` says: what is checked of the server's certificate.
    private static func tls(for location: PostgresLocation) throws -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let file = location.rootCertificates {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw PostgresTrouble.badLocation(location.description + "?sslrootcert=" + file, expected: "sslrootcert naming a readable PEM file")
            }
            configuration.trustRoots = .file(file)
        }
        switch location.tls {
        case .disable: return .disable
        case .prefer:
            configuration.certificateVerification = .none
            return .prefer(try NIOSSLContext(configuration: configuration))
        case .require:
            configuration.certificateVerification = location.rootCertificates == nil ? .none : .noHostnameVerification
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        return .require(try NIOSSLContext(configuration: configuration))
    }

    /// Whether the connection still stands (a server restart or a network failure closes it).
    public var isOpen: Bool { !connection.isClosed }

    /// Closes the connection; also done when the session is released.
    public func close() {
        guard !connection.isClosed else { return }
        let connection = connection
        let closed: EventLoopFuture<Void> = connection.close()
        // Released on an event loop (the server's tasks run there), it closes without waiting,
        // the connection kept until it is closed.
        if MultiThreadedEventLoopGroup.currentEventLoop == nil { try? closed.wait() } else { closed.whenComplete { _ in _ = connection } }
    }

    deinit {
        close()
    }

    /// Runs `sql` (`$1`, `$2`… for `binds`) and returns every row.
    @discardableResult
    public func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        try settle()
        do {
            return Array(try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().rows)
        } catch {
            throw PostgresTrouble.describe(error, at: location, connecting: false)
        }
    }

    /// Runs `sql` (`$1`, `$2`… for `binds`) and hands each row to `body` as it arrives, for
    /// results too large to hold.
    public func forEachRow(_ sql: String, _ binds: PostgresBindings = PostgresBindings(),
                           _ body: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        try settle()
        do {
            _ = try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger, body).wait()
        } catch {
            throw PostgresTrouble.describe(error, at: location, connecting: false)
        }
    }

    /// Sends `sql` without waiting for its answer. The connection runs statements in order, so
    /// the next statement that waits (``query(_:_:)``, ``forEachRow(_:_:_:)``, the commit) waits
    /// for this one too, and this one's error is thrown there. An import's findings and
    /// classifications go this way: a round trip each was most of an import's time on PostgreSQL.
    func send(_ sql: String, _ binds: PostgresBindings) {
        let answer = connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        unanswered.withLockedValue { $0.append(answer) }
    }

    /// Waits for the statements sent without waiting; throws the first one's error.
    private func settle() throws {
        let answers = unanswered.withLockedValue { list in
            defer { list.removeAll() }
            return list
        }
        var failure: (any Error)?
        for answer in answers {
            do { _ = try answer.wait() } catch { failure = failure ?? error }
        }
        if let failure { throw PostgresTrouble.describe(failure, at: location, connecting: false) }
    }

    /// Several statements separated by `;`, with no parameters (migrations).
    public func execute(script sql: String) throws {
        try query(sql)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            try? settle()
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}

extension String {
    /// SQLite's `?` placeholders as PostgreSQL's `$1::text`, `$2::text`…, so one query text
    /// serves both backends (the report's queries take text parameters only, and hold no `?`
    /// inside string literals). The cast types a NULL parameter, which PostgreSQL cannot infer
    /// in `$1 IS NULL`.
    var textPlaceholders: String { numberedPlaceholders(cast: "::text") }

    /// `?` placeholders as `$1`, `$2`… followed by `cast`, for a text with no `?` in a literal;
    /// a numbered `?2` (SQLite's name for the second parameter) becomes `$2`.
    func numberedPlaceholders(cast: String = "") -> String {
        var result = ""
        var n = 0
        var characters = self[...]
        while let character = characters.popFirst() {
            guard character == "?" else {
                result.append(character)
                continue
            }
            let digits = characters.prefix { $0.isASCII && $0.isNumber }
            if digits.isEmpty {
                n += 1
                result += "$\(n)\(cast)"
            } else {
                result += "$" + digits + cast
                characters = characters.dropFirst(digits.count)
            }
        }
        return result
    }
}
