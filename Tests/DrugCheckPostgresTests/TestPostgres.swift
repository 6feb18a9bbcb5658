import DrugCheckPostgres
import Foundation
import Testing

/// A PostgreSQL server for the tests: `$DRUGCHECK_TEST_POSTGRES` (CI starts one with
/// `.ci/postgres.sh`), else a private server started once per test run by the same script with
/// Debian's `postgresql` binaries, stopped when the tests end. Each test gets a database of its
/// own, dropped when the value is released. Without either the tests fail, saying what to install.
final class TestPostgres {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The server's `postgres://…/drugcheck` URL.
    static let server: Result<String, TestPostgresUnavailable> = {
        if let url = ProcessInfo.processInfo.environment["DRUGCHECK_TEST_POSTGRES"], !url.isEmpty { return .success(url) }
        // popen, not Foundation's Process: waitUntilExit can hang on Linux when the child leaves a daemon behind.
        guard let pipe = popen("bash '\(root.appendingPathComponent(".ci/postgres.sh").path)' start", "r") else {
            return .failure(TestPostgresUnavailable(reason: "could not run .ci/postgres.sh"))
        }
        var text = ""
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), pipe) != nil { text += String(cString: buffer) }
        let status = pclose(pipe)
        var exports: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst(7).split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }
            if pair.count == 2 { exports[pair[0]] = pair[1] }
        }
        guard status == 0, let url = exports["DRUGCHECK_TEST_POSTGRES"], let dir = exports["DRUGCHECK_PG_DIR"] else {
            return .failure(TestPostgresUnavailable(reason: ".ci/postgres.sh start exited with status \(status)"))
        }
        stopDirectory = dir
        startedCertificate = exports["DRUGCHECK_TEST_POSTGRES_CA"]
        atexit {
            guard let dir = TestPostgres.stopDirectory else { return }
            _ = system("bash '\(TestPostgres.root.appendingPathComponent(".ci/postgres.sh").path)' stop '\(dir)' >/dev/null 2>&1")
        }
        return .success(url)
    }()
    nonisolated(unsafe) static var stopDirectory: String?
    nonisolated(unsafe) private static var startedCertificate: String?

    /// The test server's TLS certificate (PEM, self-signed by `.ci/postgres.sh`), to trust as `sslrootcert`.
    static func certificate() throws -> String {
        _ = try server.get()
        guard let file = ProcessInfo.processInfo.environment["DRUGCHECK_TEST_POSTGRES_CA"] ?? startedCertificate else {
            throw TestPostgresUnavailable(reason: "DRUGCHECK_TEST_POSTGRES is set without DRUGCHECK_TEST_POSTGRES_CA, the server's certificate")
        }
        return file
    }

    let location: PostgresLocation
    private let admin: PostgresSession

    /// A new, empty database on the test server.
    init() throws {
        let url = try Self.server.get()
        let base = try PostgresLocation(parsing: url)
        admin = try PostgresSession.connect(to: base)
        var location = base
        location.database = "dc_test_\(UUID().uuidString.prefix(8).lowercased())"
        try admin.query("CREATE DATABASE \(location.database)")
        self.location = location
    }

    func connect() throws -> PostgresSession { try PostgresSession.connect(to: location) }

    deinit {
        _ = try? admin.query("DROP DATABASE IF EXISTS \(location.database) WITH (FORCE)")
        admin.close()
    }
}

struct TestPostgresUnavailable: Error, CustomStringConvertible {
    var reason: String
    var description: String {
        "No PostgreSQL server for the tests (\(reason)). Set DRUGCHECK_TEST_POSTGRES=postgres://USER@HOST:PORT/DB, "
            + "or install Debian's postgresql package so .ci/postgres.sh can start one."
    }
}
