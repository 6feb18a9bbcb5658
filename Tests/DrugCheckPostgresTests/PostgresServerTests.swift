import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckPostgres
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebTestBrowser

/// `drugcheck serve` on PostgreSQL: every page and API route answers each role as it does on
/// SQLite, and two server instances on one database share their data, caches and web sessions.
@Suite("PostgreSQL: the server on a server database, two instances at once")
struct PostgresServerTests {
    static let callers: [(name: String, role: Role, lab: String?)] = [("lab", .lab, "BE-DCA"), ("otherLab", .lab, "BE-NICC")]
        + Role.allCases.filter { $0 != .lab }.map { ($0.rawValue, $0, nil) }
    static let password = "correct horse battery"

    static var configuration: ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.rateLimitPerSecond = 0
        configuration.renderAhead = false
        return configuration
    }

    /// One user per caller with a password and a token; the tokens by caller.
    static func users(_ store: any StoredRowWriter) throws -> [String: String] {
        let access = AccessStore(store: store)
        var tokens: [String: String] = [:]
        for caller in callers {
            let user = try access.createUser(name: caller.name, role: caller.role, labCode: caller.lab)
            try access.setPasswordHash(try Passwords.hash(password), userName: caller.name)
            tokens[caller.name] = try access.issueToken(userID: user.id).secret
        }
        return tokens
    }

    /// The two labs' examples imported, the bulletin triggers scanned and the first draft published.
    static func seed(_ imports: any ImportStore, _ store: any StoredRowWriter, _ reports: any ReportDataSource) throws {
        for name in ["be-nicc-seizures.csv", "be-dca-drugchecking.csv"] {
            let result = try ImportPipeline.standard(store: imports, observers: [])
                .importFile(at: TestPostgres.root.appendingPathComponent("Imports/\(name)"), options: .init())
            #expect(result.outcome == .imported, "\(name): \(result.errors)")
        }
        _ = try BulletinScanner(writer: store, reports: reports).scan()
        let bulletin = try #require(try BulletinStore(reader: store).bulletins().first?.id, "the examples draft bulletins")
        let workflow = BulletinWorkflow(writer: store)
        try workflow.approve(bulletin, by: "reviewer-a")
        try workflow.publish(bulletin, by: "reviewer-a")
    }

    /// A registered path with its parameters filled in (the seeded databases' first rows).
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: "{lab}/{id}", with: "BE-DCA/DCA-36001").replacingOccurrences(of: "{isoWeek}", with: "2026-W36")
            .replacingOccurrences(of: "{sampleRef}", with: "1").replacingOccurrences(of: "{name}", with: "app.css")
            .replacingOccurrences(of: "{id}", with: "1")
    }

    /// What may differ between two databases given the same data: times, digests chained over
    /// times, and each session's form token.
    static func normalized(_ text: String) -> String {
        text.replacing(/name="_csrf" value="[^"]*"/, with: "_csrf")
            .replacing(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/, with: "TIME")
            .replacing(/[0-9a-f]{16,}/, with: "DIGEST")
    }

    @Test func everyPageAndRouteAnswersEachRoleAsOnSQLite() async throws {
        let (database, directory) = try PostgresBackendTests.sqlite()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try PostgresMigrator.migrate(session)
        try Self.seed(database, database, ReportAggregateReader(database: database))
        try Self.seed(StatementImportStore(writer: session, quarantineDirectory: directory), session, PostgresReportReader(session: session))
        let sqliteTokens = try Self.users(database)
        let postgresTokens = try Self.users(session)
        let onSQLite = try DrugCheckApp(configuration: Self.configuration, database: database)
        let onPostgres = try DrugCheckApp(configuration: Self.configuration,
                                          database: ServerDatabase(postgres: server.location, quarantine: directory))
        let pages = onSQLite.pages.filter { $0.method == "GET" && !["/", "/login"].contains($0.path) }
        let routes = onSQLite.routes.filter { $0.method == "GET" && $0.path != "/metrics" }
        #expect(Set(onPostgres.pages) == Set(onSQLite.pages) && Set(onPostgres.routes) == Set(onSQLite.routes))
        #expect(pages.count >= 15 && routes.count >= 12)

        /// Every caller's answer to every path, normalised, on one app.
        func answers(_ app: DrugCheckApp, tokens: [String: String]) async throws -> [String: String] {
            let collected = Answers()
            try await app.application.test(.router) { client in
                for caller in Self.callers {
                    var browser = Browser()
                    try await browser.logIn(client, caller.name, Self.password)
                    for page in pages {
                        let path = Self.concrete(page.path)
                        let response = try await browser.get(client, path)
                        collected.add("\(caller.name) page \(path)", "\(response.status.code) \(Self.normalized(response.text))")
                    }
                    for route in routes {
                        let path = Self.concrete(route.path)
                        let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(tokens[caller.name]!)"])
                        collected.add("\(caller.name) \(path)", "\(response.status.code) \(Self.normalized(response.text))")
                    }
                }
            }
            return collected.all
        }
        let expected = try await answers(onSQLite, tokens: sqliteTokens)
        let got = try await answers(onPostgres, tokens: postgresTokens)
        #expect(expected.count == Self.callers.count * (pages.count + routes.count))
        #expect(expected.values.filter { $0.hasPrefix("200 ") }.count > expected.count / 3, "most answers are pages and documents")
        for (request, answer) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(!answer.contains("[[&quot;"), "\(request): a Swift value printed into the page")
            #expect(got[request] == answer, "\(request): PostgreSQL answered \(got[request]?.prefix(300) ?? "nothing"), SQLite \(answer.prefix(300))")
        }
    }

    @Test func twoInstancesShareTheirDataCachesAndSessions() async throws {
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try PostgresMigrator.migrate(session)
        let tokens = try Self.users(session)
        let quarantine = FileManager.default.temporaryDirectory.appendingPathComponent("dc-pg-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: quarantine) }
        // Two instances as two processes would be: each its own sessions and its own change probe.
        let first = try DrugCheckApp(configuration: Self.configuration, database: ServerDatabase(postgres: server.location, quarantine: quarantine))
        let second = try DrugCheckApp(configuration: Self.configuration, database: ServerDatabase(postgres: server.location, quarantine: quarantine))
        let report = "/v1/reports/weekly/2026-W36.csv"
        let ministry: HTTPFields = [.authorization: "Bearer \(tokens["ministry"]!)"]
        try await first.application.test(.router) { one in
            try await second.application.test(.router) { two in
                // The second instance reads (and keeps) the week's report before any data arrive.
                let before = try await two.execute(uri: report, method: .get, headers: ministry)
                #expect(before.status == .ok)
                let upload = try await one.execute(uri: "/v1/imports?filename=be-dca-drugchecking.csv", method: .post,
                                                   headers: [.authorization: "Bearer \(tokens["lab"]!)"],
                                                   body: ByteBuffer(bytes: try Data(contentsOf: TestPostgres.root.appendingPathComponent("Imports/be-dca-drugchecking.csv"))))
                #expect(upload.status == .created)
                let fresh = try await one.execute(uri: report, method: .get, headers: ministry).body
                #expect(fresh != before.body)
                // The commit's notification reaches the second instance's probe a moment later.
                var seen = before.body
                for _ in 0..<50 where seen != fresh {
                    try await Task.sleep(for: .milliseconds(100))
                    seen = try await two.execute(uri: report, method: .get, headers: ministry).body
                }
                #expect(seen == fresh, "the second instance still serves the report from before the upload")

                // Logged in on one instance, known on the other; logged out there, gone on both.
                var browser = Browser()
                try await browser.logIn(one, "ministry", Self.password)
                #expect(try await browser.get(two, "/ministry").status == .ok)
                let page = try await browser.get(two, "/ministry")
                let token = try #require(Browser.formToken(page.text))
                #expect(try await browser.post(two, "/logout", ["_csrf": token]).status == .seeOther)
                #expect(try await browser.get(one, "/ministry").status == .seeOther, "the session ended on both instances")
            }
        }
    }
}

extension TestResponse {
    fileprivate var text: String { String(buffer: body) }
}

extension PostgresServerTests {
    /// The change probe answers at once however the database fares: a new version for every
    /// commit, a new one on every ask while its listening session is lost (nothing cached is
    /// trusted), and commits noticed again once it has listened anew in the background.
    @Test func theChangeProbeSeesEveryCommitAndOutlivesALostConnection() async throws {
        let server = try TestPostgres()
        let session = try server.connect()
        defer { session.close() }
        _ = try PostgresMigrator.migrate(session)
        let probe = try PostgresChangeProbe(location: server.location)
        let write = { try session.writeTransaction { try $0.execute("INSERT INTO lab (code, name) VALUES (?, ?)", [.text(UUID().uuidString), .text("lab")]) } }
        /// The version once it has stopped changing (notifications arrive a moment after the commit).
        func settled() async throws -> Int64 {
            var (last, now) = (Int64.min, try probe.version())
            while last != now {
                try await Task.sleep(for: .milliseconds(200))
                (last, now) = (now, try probe.version())
            }
            return now
        }
        let first = try await settled()
        try session.writeTransaction { _ = try $0.rows("SELECT count(*) FROM lab", []) }
        #expect(try await settled() == first, "a transaction that wrote nothing tells no one")
        try write()
        let second = try await settled()
        #expect(second != first)

        try session.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        var noticed = false
        for _ in 0..<50 where !noticed {
            try await Task.sleep(for: .milliseconds(100))
            noticed = try probe.version() != second
        }
        #expect(noticed, "the lost connection counts as a change")
        let listening = try await settled()
        try write()
        #expect(try await settled() != listening, "a commit after the probe listened again")
    }
}

/// Answers collected inside the test client's closure.
private final class Answers: @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String: String] = [:]

    func add(_ request: String, _ answer: String) {
        lock.withLock { answers[request] = answer }
    }

    var all: [String: String] { lock.withLock { answers } }
}
