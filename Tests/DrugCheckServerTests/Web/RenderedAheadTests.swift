import DrugCheckImport
import DrugCheckServer
import DrugCheckStore
import Foundation
import HummingbirdTesting
import Testing
import WebTestBrowser

/// The ministry page after an import: rendered ahead by the server's refresher as soon as the
/// data arrive, so its first reader does not wait for the weekly report to be rebuilt; and what
/// that reader gets holds the new data.
@Suite struct RenderedAheadTests {
    /// 30 samples sold as "Marker Pills" in 2026-W37: the first row of that week's sold-as table.
    static func markerFile(in directory: URL) throws -> URL {
        let lines = (1...30).map { "BE-MRK,MRK-\($0),powder,drug_checking,Marker Pills,,2026-09-08,BE100,GC-MS,,2026-09-09,cocaine,true,,,,," }
        let file = directory.appendingPathComponent("marker.csv")
        try Data((["lab,sample_id,sample_type,source,sold_as,description,collected_on,region,technique,instrument,analysed_on,substance,detected,concentration,unit,rt_min,mz,match_score"]
                  + lines).joined(separator: "\n").utf8).write(to: file)
        return file
    }

    static let markerRow = "<td>marker pills</td><td class=\"num\">30</td>"

    /// The value of the `/metrics` line that starts with `series` (its name and labels).
    static func metric(_ client: some TestClientProtocol, _ f: ServerFixture, _ series: String) async throws -> Int {
        let text = try await client.execute(uri: "/metrics", method: .get, headers: f.headers("admin")).body
        let line = try #require(String(buffer: text).split(separator: "\n").first { $0.hasPrefix(series + " ") })
        return try #require(Int(line.split(separator: " ").last ?? ""))
    }

    /// `drugcheck_renders_total{cause="…"}` from `/metrics`.
    static func renders(_ client: some TestClientProtocol, _ f: ServerFixture, cause: String) async throws -> Int {
        try await metric(client, f, "drugcheck_renders_total{cause=\"\(cause)\"}")
    }

    /// Waits until the refresher has rendered something (at least `minimum` renderings in all)
    /// and then stayed quiet for a second; on a loaded machine it may pause longer between two.
    static func waitForRefresher(_ client: some TestClientProtocol, _ f: ServerFixture, from start: Int = -1,
                                 minimum: Int = 0) async throws {
        let start = start >= 0 ? start : try await renders(client, f, cause: "refresh")
        var (last, quietSince) = (start, Date())
        let deadline = Date().addingTimeInterval(30)
        while last == start || last < minimum || Date().timeIntervalSince(quietSince) < 1 {
            try #require(Date() < deadline, "the refresher did not settle within 30 s (\(last - start) renderings)")
            try await Task.sleep(for: .milliseconds(100))
            let now = try await renders(client, f, cause: "refresh")
            if now != last { (last, quietSince) = (now, Date()) }
        }
    }

    /// A server that has just started has the ministry's latest week and its trend ready in each
    /// language before the first ministry user opens them; logging in (the session is kept in a
    /// file of its own) is no new data, so they stay ready.
    @Test func theMinistrysFirstViewsAreReadyAfterAStart() async throws {
        let f = try ServerFixture { $0.renderAhead = true }
        _ = try f.password("ministry")
        try await f.test { client in
            try await Self.waitForRefresher(client, f, from: 0, minimum: 8)
            #expect(try await Self.renders(client, f, cause: "refresh") >= 8, "the latest week and its trend in four languages")
            var browser = Browser()
            try await browser.logIn(client, "ministry", "correct horse battery")
            let latest = try #require(try f.database.latestWeek())
            // In the user's language (choosing another one on a page stores it: new data again).
            for path in ["/ministry", "/ministry/trend"] {
                let page = try await browser.get(client, path)
                #expect(page.status == .ok && page.text.contains(latest.description), "\(path)")
            }
            #expect(try await Self.renders(client, f, cause: "request") == 0, "a first view was rendered while its reader waited")
        }
    }

    @Test func theFirstReaderAfterAnImportGetsAPageRenderedAhead() async throws {
        let f = try ServerFixture()
        _ = try f.password("ministry")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "ministry", "correct horse battery")
            let before = try await browser.get(client, "/ministry?week=2026-W37")
            #expect(!before.text.contains(Self.markerRow))
            let askedBefore = try await Self.renders(client, f, cause: "request")
            #expect(askedBefore >= 1)

            let file = try Self.markerFile(in: f.directory)
            #expect(try ImportPipeline.standard(database: f.database, observers: []).importFile(at: file, options: .init()).outcome == .imported)
            // The refresher looks at the data version five times a second; the import's commit
            // (and the report edition the new figures write) start it.
            try await Self.waitForRefresher(client, f)
            let after = try await browser.get(client, "/ministry?week=2026-W37")
            #expect(after.text.contains(Self.markerRow), "\(after.text)")
            #expect(try await Self.renders(client, f, cause: "request") == askedBefore, "the reader after the import waited for a rendering")
        }
    }

    /// `drugcheck_report_builds_total` from `/metrics`.
    static func reportBuilds(_ client: some TestClientProtocol, _ f: ServerFixture) async throws -> Int {
        try await metric(client, f, "drugcheck_report_builds_total")
    }

    /// Every view of a week — another class, sample type or language, the downloads, the API's
    /// report — is made from the one report and sold-as table built for the data version; new
    /// data make the next view build them again, with the new figures.
    @Test func theViewsOfAWeekShareOneReport() async throws {
        let f = try ServerFixture()
        _ = try f.password("ministry")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "ministry", "correct horse battery")
            // Building an ended week's report records its first edition (new data): the second view settles.
            for _ in 0..<2 { #expect(try await browser.get(client, "/ministry?week=2026-W37").status == .ok) }
            let built = try await Self.reportBuilds(client, f)
            #expect(built >= 2, "the report and the sold-as table")
            // Other languages through the API (a language picked on a page is stored with the user: new data).
            for path in ["/ministry?week=2026-W37&class=nitazene", "/ministry?week=2026-W37&type=vape_refill",
                         "/ministry?week=2026-W37&class=fentanyl_analogue&type=powder", "/ministry/report.csv?week=2026-W37",
                         "/ministry/report.json?week=2026-W37"] {
                let page = try await browser.get(client, path)
                #expect(page.status == .ok, "\(path)")
            }
            for language in ["nl", "fr", "de"] {
                let api = try await client.execute(uri: "/v1/reports/weekly/2026-W37.json?lang=\(language)", method: .get, headers: f.headers("ministry"))
                #expect(api.status == .ok)
            }
            #expect(try await Self.reportBuilds(client, f) == built, "a view of the week built its report again")

            let file = try Self.markerFile(in: f.directory)
            #expect(try ImportPipeline.standard(database: f.database, observers: []).importFile(at: file, options: .init()).outcome == .imported)
            let after = try await browser.get(client, "/ministry?week=2026-W37&class=nitazene")
            #expect(after.text.contains(Self.markerRow), "the view after new data shows them")
            #expect(try await Self.reportBuilds(client, f) > built)
        }
    }
}
