import DrugCheckPostgres
import Foundation
import Testing

/// TLS to the database server as libpq's `sslmode` asks, against the test server (TLS on, with a
/// self-signed certificate for the name localhost made by `.ci/postgres.sh`).
@Suite struct PostgresTLSTests {
    /// Whether the session's own connection is encrypted, as the server sees it.
    static func encrypted(_ location: PostgresLocation) throws -> Bool {
        let session = try PostgresSession.connect(to: location)
        defer { session.close() }
        let row = try #require(try session.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").first)
        return try row.decode(Bool.self)
    }

    static func location(_ options: String) throws -> PostgresLocation {
        try PostgresLocation(parsing: try TestPostgres.server.get() + "?" + options)
    }

    @Test func eachSslmodeEncryptsAndChecksWhatItSays() throws {
        let certificate = try TestPostgres.certificate()
        #expect(try Self.encrypted(Self.location("sslmode=disable")) == false)
        #expect(try Self.encrypted(try PostgresLocation(parsing: try TestPostgres.server.get())), "prefer, the default, encrypts when offered")
        #expect(try Self.encrypted(Self.location("sslmode=require")), "require does not check the self-signed certificate")
        #expect(try Self.encrypted(Self.location("sslmode=verify-ca&sslrootcert=\(certificate)")))
        var byName = try Self.location("sslmode=verify-full&sslrootcert=\(certificate)")
        byName.host = "localhost"
        #expect(try Self.encrypted(byName), "verify-full: a trusted signature and the name asked for")
    }

    @Test func aCertificateNobodyTrustsIsRefusedPlainly() throws {
        // The system's authorities did not sign the test server's certificate.
        let trouble = try #require(throws: PostgresTrouble.self) { try Self.encrypted(Self.location("sslmode=verify-full")) }
        guard case let .tlsFailed(_, reason) = trouble else { Issue.record("not a TLS failure: \(trouble)"); return }
        #expect(reason.contains("certificate") && reason.contains("sslmode=verify-full"), "\(reason)")
        #expect(trouble.errorDescription?.contains("sslrootcert") == true)
        // Trusting a file that is not there is said before connecting.
        #expect(throws: PostgresTrouble.self) { try Self.encrypted(Self.location("sslmode=verify-full&sslrootcert=/nonexistent/root.crt")) }
    }

    @Test func aHostTheCertificateDoesNotNameIsRefused() throws {
        // The test server is reached at 127.0.0.1; its certificate names localhost only.
        var location = try Self.location("sslmode=verify-full&sslrootcert=\(try TestPostgres.certificate())")
        let trouble = try #require(throws: PostgresTrouble.self) { try Self.encrypted(location) }
        #expect(trouble.errorDescription?.contains("does not name the host \(location.host)") == true, "\(trouble)")
        location.tls = .verifyCA
        #expect(try Self.encrypted(location), "verify-ca checks the signature, not the name")
    }

    @Test func unknownOptionsAreRefusedWithWhatIsAccepted() throws {
        let bad = try #require(throws: PostgresTrouble.self) { try PostgresLocation(parsing: "postgres://u@h/db?sslmode=sometimes") }
        #expect(bad.errorDescription?.contains("verify-full") == true)
        #expect(throws: PostgresTrouble.self) { try PostgresLocation(parsing: "postgres://u@h/db?connect_timeout=3") }
        let parsed = try PostgresLocation(parsing: "postgres://u@h/db?sslmode=verify-ca&sslrootcert=/etc/ca.pem")
        #expect(parsed.tls == .verifyCA && parsed.rootCertificates == "/etc/ca.pem")
        #expect(try PostgresLocation(parsing: "postgres://u@h/db").tls == .prefer)
    }
}
