import ArgumentParser
import AsyncHTTPClient
import DrugCheckAccess
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckServer
import DrugCheckStore
import Foundation
import NIOCore
import NIOHTTP1

/// `drugcheck bench pages`: serves a generated database with the real server in this process,
/// logs in as a browser does (one password user per role) and times every page of the web app
/// from its `Server-Timing` header (the server's time) and from the client (the wall time).
struct BenchPages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Time every web page on a generated database (target: under 50 ms on the server).",
        discussion: """
            Uses the database of 'drugcheck bench report' (generated when the file does not exist: \
            10 million findings over 261 weeks by default; '--findings 2300000 --weeks 60' keeps a \
            week's load of the 10-million database with a full 52-week trend). Adds one user per role \
            named bench-ROLE with a fixed password (never use the file for anything else), starts the \
            server on a free loopback port, logs in through /login with its form token, and requests \
            each page --runs times. Prints a Markdown table: the server's time from the \
            'Server-Timing: app;dur=' header (first run, median, 95th percentile) and the client's \
            median wall time; rows over 50 ms are marked. The first run of a page is its cold \
            render; pages that keep their content per data version (/ministry, its trend and \
            downloads) are warm afterwards. Then it imports one sample of the week (lab BENCH-NEW, \
            kept in the database), waits for the server to render the pages read so far again, and \
            times each ministry page's first request after that import. With --postgres the same \
            data are served from a PostgreSQL database (copied there first when it is empty) and timed \
            the same way, one table after the other.
            """
    )

    @OptionGroup var data: GeneratedDatabaseOptions

    @Option(help: "Requests per page (the first is reported apart, with the median and 95th percentile of all).")
    var runs = 9

    @Option(help: "Also serve the same data from this PostgreSQL database (postgres://…) and time the same pages; the generated database is copied into it first when it is empty.")
    var postgres: String?

    /// The benchmark users' password: the database is a generated one, never a real one.
    static let password = "bench-pages-password"
    static let target = 50.0

    struct Page {
        var path: String
        /// Who asks (`nil`: nobody logged in, a public page).
        var role: Role?
    }

    struct Timing {
        var server: [Double] = []
        var client: [Double] = []
    }

    func run() async throws {
        let database = try data.open()
        let week = data.week
        guard let sample = try SampleQuery(week: week, limit: 1).fetch(in: database).first?.sample else {
            throw ValidationError("\(data.db) has no sample in \(week): pass the --week of its data")
        }
        try Self.addUsers(database, lab: sample.labCode)
        let onSQLite = try ServerDatabase(sqlite: database)
        let onPostgres = try postgres.map { url -> (String, ServerDatabase) in
            let location = try PostgresLocation(parsing: url)
            try BenchReport.copyWhenEmpty(database, to: try PostgresSession.connect(to: location))
            let served = try ServerDatabase(postgres: location, quarantine: FileManager.default.temporaryDirectory.appendingPathComponent("bench-quarantine"))
            try Self.addUsers(served.writer, lab: sample.labCode)
            return ("PostgreSQL database \(location)", served)
        }
        // From here the tasks run on the event loops: the database is only used off them.
        EventLoopExecutor.install()
        try await measure(onSQLite, named: "database \(data.db)", sample: sample)
        print("\nSold-as table query (EXPLAIN QUERY PLAN):\n" + (try database.soldAsFoundPlan()).map { "- `\($0)`" }.joined(separator: "\n"))
        if let (name, served) = onPostgres {
            print("\n## The same on PostgreSQL\n")
            try await measure(served, named: name, sample: sample)
        }
    }

    /// Serves `database` in this process and times every page, then the ministry pages after one import.
    private func measure(_ database: ServerDatabase, named name: String, sample: Sample) async throws {
        let week = data.week
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = try Self.freeLoopbackPort()
        config.rateLimitPerSecond = 0   // a benchmark's requests come faster than a person's
        let app = try DrugCheckApp(configuration: config, database: database)
        let server = Task { try await app.application.runService() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let base = "http://127.0.0.1:\(config.port)"
        do {
            try await Self.waitUntilUp(client, base: base)
            let samplePath = "/samples/\(Self.escaped(sample.labCode))/\(Self.escaped(sample.labSampleID))"
            let pages: [Page] = [
                .init(path: "/ministry?week=\(week)", role: .ministry),
                .init(path: "/ministry?week=\(week)&class=nitazene", role: .ministry),
                .init(path: "/ministry/trend?week=\(week)", role: .ministry),
                .init(path: "/ministry/report.csv?week=\(week)", role: .ministry),
                // Views nobody has read yet: another week, and one region (the report is built for them).
                .init(path: "/ministry?week=\(week.adding(weeks: -4))", role: .ministry),
                .init(path: "/ministry?week=\(week)&region=\(Self.escaped(sample.region ?? ""))", role: .ministry),
                .init(path: "/samples", role: .lab),
                // The list's filters: each a page of 100 found without reading all the lab's samples.
                .init(path: "/samples?week=\(week.adding(weeks: -4))", role: .lab),
                .init(path: "/samples?class=other_nso", role: .lab),
                .init(path: "/samples?status=verified", role: .lab),
                .init(path: "/samples?status=submitted&class=nitazene", role: .verifier),
                .init(path: samplePath, role: .lab),
                .init(path: "/lab/imports", role: .admin),
                .init(path: "/review", role: .reviewer),
                .init(path: "/bulletins", role: nil),
                .init(path: "/audit", role: .admin),
                .init(path: "/admin", role: .admin),
                .init(path: "/verify", role: .verifier),
            ]
            var cookies: [Role: String] = [:]
            for role in Set(pages.compactMap(\.role)) {
                cookies[role] = try await Self.logIn(client, base: base, user: "bench-\(role.rawValue)")
            }
            print("Server on \(base), \(name), week \(week), \(runs) requests per page, load average \(Self.loadAverage()).\n")
            var rows: [String] = []
            for page in pages {
                var timing = Timing()
                for _ in 0..<max(1, runs) {
                    let (server, client) = try await Self.get(client, base + page.path, cookie: page.role.flatMap { cookies[$0] })
                    timing.server.append(server)
                    timing.client.append(client)
                }
                rows.append(Self.row(page, timing))
            }
            print("| page | as | first run (ms) | median (ms) | p95 (ms) | client median (ms) | over \(Int(Self.target)) ms |")
            print("|---|---|---:|---:|---:|---:|---|")
            rows.forEach { print($0) }
            let after = try await Self.importOneSample(database.imports, week: week, metrics: app.metrics)
            print("\nAfter importing one sample of \(week) (lab BENCH-NEW): the refresher rendered \(after.refreshed) entries ahead and was "
                  + "quiet \(String(format: "%.2f", after.refreshSeconds)) s after the import began; then each ministry page's first request:\n")
            print("| page | server (ms) | client (ms) | over \(Int(Self.target)) ms |")
            print("|---|---:|---:|---|")
            for page in pages where page.role == .ministry {
                let (server, wall) = try await Self.get(client, base + page.path, cookie: cookies[.ministry])
                print("| `\(page.path)` | \(String(format: "%.1f", server)) | \(String(format: "%.1f", wall)) | \(server > Self.target ? "**yes**" : "") |")
            }
            print("\nServer time: the page's `Server-Timing: app;dur=` (handler and rendering); client: request sent to body received, loopback.")
            print("Load average after: \(Self.loadAverage()).")
        } catch {
            try? await client.shutdown()
            server.cancel()
            throw error
        }
        try await client.shutdown()
        server.cancel()
    }

    static func row(_ page: Page, _ t: Timing) -> String {
        let sorted = t.server.sorted()
        let median = sorted[sorted.count / 2]
        let p95 = sorted[max(0, Int((0.95 * Double(sorted.count)).rounded(.up)) - 1)]
        let clientMedian = t.client.sorted()[t.client.count / 2]
        var over: [String] = []
        if t.server[0] > target { over.append("first run") }
        if median > target { over.append("median") }
        if p95 > target, median <= target { over.append("p95") }
        let ms = { String(format: "%.1f", $0) }
        return "| `\(page.path)` | \(page.role?.rawValue ?? "anyone") | \(ms(t.server[0])) | \(ms(median)) | \(ms(p95)) | \(ms(clientMedian)) | "
            + (over.isEmpty ? "" : "**\(over.joined(separator: ", "))**") + " |"
    }

    /// One password user per role (`bench-lab` of the sample's lab), kept when already there.
    static func addUsers(_ database: any StoredRowWriter, lab: String) throws {
        let access = AccessStore(store: database)
        let hash = try Passwords.hash(password)
        for role in Role.allCases {
            guard try access.account(named: "bench-\(role.rawValue)") == nil else { continue }
            let user = try access.createUser(name: "bench-\(role.rawValue)", role: role, labCode: role == .lab ? lab : nil, actor: "bench")
            try access.setPasswordHash(hash, userName: user.name, actor: "bench")
        }
    }

    /// Logs in as a browser does: the login form sets the form token's cookie and field, the
    /// form is posted with both, and the answer's session cookie is kept.
    static func logIn(_ client: HTTPClient, base: String, user: String) async throws -> String {
        let form = try await client.execute(HTTPClientRequest(url: base + "/login"), timeout: .seconds(60))
        let html = String(buffer: try await form.body.collect(upTo: 1 << 20))
        var jar = cookies(form.headers)
        guard let field = html.firstMatch(of: /name="_csrf" value="([^"]+)"/)?.1 else { throw BenchPagesError("no form token on /login") }
        var post = HTTPClientRequest(url: base + "/login")
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        post.headers.add(name: "Cookie", value: jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        let body = [("username", user), ("password", password), ("_csrf", String(field))].map { "\($0.0)=\(escaped($0.1))" }.joined(separator: "&")
        post.body = .bytes(ByteBuffer(string: body))
        let answer = try await client.execute(post, timeout: .seconds(60))
        _ = try await answer.body.collect(upTo: 1 << 20)
        jar.merge(cookies(answer.headers)) { $1 }
        guard answer.status == .seeOther, jar["drugcheck_session"] != nil else {
            throw BenchPagesError("logging in as \(user) answered \(answer.status.code) without a session")
        }
        return jar.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// The server's time (from `Server-Timing`) and the client's wall time of one GET, in ms.
    static func get(_ client: HTTPClient, _ url: String, cookie: String?) async throws -> (server: Double, client: Double) {
        var request = HTTPClientRequest(url: url)
        if let cookie { request.headers.add(name: "Cookie", value: cookie) }
        let start = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(120))
        _ = try await response.body.collect(upTo: 256 << 20)
        let elapsed = ContinuousClock.now - start
        guard response.status == .ok else { throw BenchPagesError("\(url) answered \(response.status.code)") }
        guard let timing = response.headers.first(name: "Server-Timing"), let dur = timing.firstMatch(of: /dur=([0-9.]+)/)?.1, let server = Double(dur) else {
            throw BenchPagesError("\(url) answered without Server-Timing")
        }
        return (server, Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
    }

    static func cookies(_ headers: HTTPHeaders) -> [String: String] {
        var jar: [String: String] = [:]
        for line in headers["Set-Cookie"] {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard let eq = pair.firstIndex(of: "=") else { continue }
            jar[pair[..<eq].trimmingCharacters(in: .whitespaces)] = String(pair[pair.index(after: eq)...])
        }
        return jar
    }

    static func waitUntilUp(_ client: HTTPClient, base: String) async throws {
        for _ in 0..<200 {
            if let answer = try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(5)), answer.status == .ok {
                _ = try await answer.body.collect(upTo: 1 << 20)
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchPagesError("the server did not answer on \(base)")
    }

    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }

    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: ", ")
    }

    /// A port nobody listens on now: bound to 0 on loopback, read back, released.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchPagesError("no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard bound == 0, named == 0 else { throw BenchPagesError("no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct BenchPagesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
