import DrugCheckAccess
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WebTestBrowser

/// Every page the server registers, opened by every role: the allowed roles get the page (in
/// the language asked for), the others 403, and nobody without a session gets past the login
/// redirect (public pages excepted). And every word the templates use exists in four languages.
@Suite struct WebPagesTests {
    static let packageRoot = ServerFixture.packageRoot
    static let templates = packageRoot.appendingPathComponent("Sources/DrugCheckServer/Web/Templates")

    /// A concrete path for a registered page.
    static func concrete(_ path: String, bulletin: Int64) -> String {
        path.replacingOccurrences(of: "{lab}/{id}", with: "BE-DCA/DCA-36001")
            .replacingOccurrences(of: "/review/{id}", with: "/review/\(bulletin)")
            .replacingOccurrences(of: "/bulletins/{id}", with: "/bulletins/\(bulletin)")
            .replacingOccurrences(of: "{name}", with: "app.css")
    }

    @Test func everyPageAnswersEachRoleAsItsRolesSay() async throws {
        let f = try ServerFixture()
        _ = try BulletinScanner(database: f.database).scan()
        let bulletin = try #require(try BulletinStore(database: f.database).bulletins().first?.id, "the examples draft bulletins")
        let workflow = BulletinWorkflow(database: f.database)
        try workflow.approve(bulletin, by: "reviewer-a")
        try workflow.publish(bulletin, by: "reviewer-a")
        let callers = ["lab", "verifier", "ministry", "reviewer", "subscriber", "admin"]
        for caller in callers { _ = try f.password(caller) }
        // `/` and `/login` send a browser on (home page, login); the security tests cover them.
        let pages = f.app.pages.filter { $0.method == "GET" && !["/", "/login"].contains($0.path) }
        #expect(pages.count >= 15)
        try await f.test { client in
            var browsers: [String: Browser] = [:]
            for caller in callers {
                var browser = Browser()
                try await browser.logIn(client, caller, "correct horse battery")
                browsers[caller] = browser
            }
            for page in pages {
                let path = Self.concrete(page.path, bulletin: bulletin)
                let anonymous = try await Browser().get(client, path)
                #expect(page.roles.isEmpty ? anonymous.status == .ok : anonymous.status == .seeOther, "anonymous \(path): \(anonymous.status)")
                for caller in callers {
                    let role = try #require(Role(rawValue: caller == "lab" ? "lab" : caller))
                    let response = try await browsers[caller]!.get(client, path + (path.contains("?") ? "&" : "?") + "lang=de")
                    if page.roles.isEmpty || page.roles.contains(role) {
                        #expect(response.status == .ok, "\(caller) \(path): \(response.status) \(response.text.prefix(300))")
                        if response.headers[.contentType]?.hasPrefix("text/html") == true, !path.hasPrefix("/ministry/report") {
                            #expect(response.text.contains(#"<html lang="de">"#), "\(caller) \(path) in German")
                            #expect(response.text.contains(#"id="logout""#), "\(caller) \(path) has the logout form")
                        }
                    } else {
                        #expect(response.status == .forbidden, "\(caller) \(path): \(response.status)")
                    }
                }
            }
        }
    }

    @Test func theMinistryDownloadIsTheAPIReport() async throws {
        let f = try ServerFixture()
        _ = try f.password("ministry")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "ministry", "correct horse battery")
            let page = try await browser.get(client, "/ministry?week=2026-W37")
            #expect(page.text.contains(#"class="small-multiples""#) && page.text.contains(#"class="choropleth""#))
            let csv = try await browser.get(client, "/ministry/report.csv?week=2026-W37")
            let api = try await client.execute(uri: "/v1/reports/weekly/2026-W37.csv", method: .get, headers: f.headers("ministry"))
            #expect(csv.status == .ok && api.status == .ok)
            #expect(csv.text == api.text)
            #expect(csv.text.hasPrefix("week,class,sample_type"))
        }
    }

    @Test func aLanguagePickedOnAPageFollowsTheUserToTheNextLogin() async throws {
        let f = try ServerFixture()
        let password = try f.password("verifier")
        try await f.test { client in
            var first = Browser()
            try await first.logIn(client, "verifier", password)
            #expect(try await first.get(client, "/verify").text.contains(#"<html lang="en">"#))
            #expect(try await first.get(client, "/verify?lang=fr").text.contains(#"<html lang="fr">"#))
            var elsewhere = Browser()   // another device: no language cookie
            try await elsewhere.logIn(client, "verifier", password)
            let page = try await elsewhere.get(client, "/verify")
            #expect(page.text.contains(#"<html lang="fr">"#))
            #expect(page.text.contains("Vérification"))
        }
    }

    /// Pages say the server's time in `Server-Timing` (the API does not); the ministry page's
    /// content is kept per data version: the same until data arrive, then rendered again.
    @Test func theMinistryPageIsKeptUntilDataArriveAndEveryPageSaysItsTime() async throws {
        let f = try ServerFixture()
        _ = try f.password("ministry")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "ministry", "correct horse battery")
            let first = try await browser.get(client, "/ministry?week=2026-W37")
            let timing = try #require(first.headers.first { $0.name.canonicalName == "server-timing" }?.value)
            #expect(timing.hasPrefix("app;dur="), "\(timing)")
            let api = try await client.execute(uri: "/v1/reports/weekly/2026-W37.csv", method: .get, headers: f.headers("ministry"))
            #expect(!api.headers.contains { $0.name.canonicalName == "server-timing" })
            let again = try await browser.get(client, "/ministry?week=2026-W37")
            #expect(again.text == first.text)
            #expect(!first.text.contains("marker pills"))
            let file = try RenderedAheadTests.markerFile(in: f.directory)
            #expect(try ImportPipeline.standard(database: f.database, observers: []).importFile(at: file, options: .init()).outcome == .imported)
            let after = try await browser.get(client, "/ministry?week=2026-W37")
            #expect(after.text.contains(RenderedAheadTests.markerRow), "\(after.text)")
        }
    }

    @Test func everyWordExistsInFourLanguages() throws {
        let table = try JSONDecoder().decode([String: [String: String]].self,
                                             from: Data(contentsOf: Self.templates.appendingPathComponent("strings.json")))
        for (key, texts) in table {
            #expect(Set(texts.keys) == ["en", "nl", "fr", "de"], "\(key)")
            #expect(!texts.values.contains(""), "\(key)")
        }
        var used = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.templates.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: Self.templates.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: /\{\{t\.([a-z0-9_]+)\}\}/) { used.insert(String(match.1)) }
        }
        #expect(!used.isEmpty)
        #expect(used.subtracting(table.keys).isEmpty, "words without translations: \(used.subtracting(table.keys).sorted())")
    }
}
