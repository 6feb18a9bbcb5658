import DrugCheckAccess
import DrugCheckImport
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WebTestBrowser

/// The web app's sessions and their defences, on the real app in process over the example
/// exports of two labs: login, cookie attributes, session fixation, CSRF, logout, disabled
/// users, the second factor, login throttling, lab isolation and escaping.
@Suite struct WebAppSecurityTests {
    @Test func loginIssuesAHardenedCookieAndANewSessionEachTime() async throws {
        let f = try ServerFixture()
        let password = try f.password("ministry")
        try await f.test { client in
            var browser = Browser()
            browser.cookies[WebSessionsCookie.name] = "attacker-chosen"
            let response = try await browser.logIn(client, "ministry", password)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/ministry")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix(WebSessionsCookie.name + "=") })
            for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(attribute), "\(attribute) in \(cookie)") }
            let first = try #require(browser.cookies[WebSessionsCookie.name])
            #expect(first != "attacker-chosen")
            // The planted id is no session, and logging in again replaces the session id.
            var planted = Browser()
            planted.cookies[WebSessionsCookie.name] = "attacker-chosen"
            #expect(try await planted.get(client, "/ministry").status == .seeOther)
            try await browser.logIn(client, "ministry", password)
            #expect(browser.cookies[WebSessionsCookie.name] != first)
            var old = Browser()
            old.cookies[WebSessionsCookie.name] = first
            #expect(try await old.get(client, "/ministry").status == .seeOther)
            #expect(try await browser.get(client, "/ministry").status == .ok)
        }
    }

    @Test func formsWithoutTheSessionTokenChangeNothing() async throws {
        let f = try ServerFixture()
        let password = try f.password("admin")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "admin", password)
            let before = try AccessStore(database: f.database).users().count
            let fields = ["username": "mallory", "role": "admin", "password": "0123456789ab"]
            for token in [nil, "forged"] {
                var form = fields
                form["_csrf"] = token
                let response = try await browser.post(client, "/admin/users", form)
                #expect(response.status == .forbidden)
                #expect(response.text.contains("This form has expired or did not come from DrugCheck"))
            }
            #expect(try AccessStore(database: f.database).users().count == before)
            // With the page's own token the same form works.
            let token = try #require(Browser.formToken(try await browser.get(client, "/admin").text))
            var form = fields
            form["_csrf"] = token
            #expect(try await browser.post(client, "/admin/users", form).status == .seeOther)
            #expect(try AccessStore(database: f.database).account(named: "mallory")?.passwordHash != nil)
        }
    }

    @Test func logoutAndDisablingEndTheSession() async throws {
        let f = try ServerFixture()
        let password = try f.password("reviewer")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "reviewer", password)
            let session = try #require(browser.cookies[WebSessionsCookie.name])
            let token = try #require(Browser.formToken(try await browser.get(client, "/review").text))
            #expect(try await browser.post(client, "/logout", ["_csrf": token]).status == .seeOther)
            var old = Browser()
            old.cookies[WebSessionsCookie.name] = session
            let after = try await old.get(client, "/review")
            #expect(after.status == .seeOther)
            #expect(after.headers[.location] == "/login?next=%2Freview")

            var again = Browser()
            try await again.logIn(client, "reviewer", password)
            #expect(try await again.get(client, "/review").status == .ok)
            try AccessStore(database: f.database).disable(userName: "reviewer")
            #expect(try await again.get(client, "/review").status == .seeOther)
            var stranger = Browser()
            #expect(try await stranger.logIn(client, "reviewer", password).status == .unauthorized)
        }
    }

    @Test func secondFactorAndThrottling() async throws {
        let f = try ServerFixture()
        let password = try f.password("verifier")
        let secret = SecondFactor.newSecret()
        try AccessStore(database: f.database).setTOTPSecret(secret, userName: "verifier")
        try await f.test { client in
            var browser = Browser()
            #expect(try await browser.logIn(client, "verifier", password).status == .unauthorized)
            #expect(try await browser.logIn(client, "verifier", password, totp: "000000").status == .unauthorized)
            #expect(try await browser.logIn(client, "verifier", password, totp: SecondFactor.code(secret: secret)).status == .seeOther)
            // Five failures for a name: the sixth attempt is refused, even with the right password.
            for _ in 0..<5 {
                var guesser = Browser()
                #expect(try await guesser.logIn(client, "subscriber", "wrong password!").status == .unauthorized)
            }
            _ = try f.password("subscriber")
            var late = Browser()
            #expect(try await late.logIn(client, "subscriber", "correct horse battery").status == .tooManyRequests)
        }
    }

    @Test func labsSeeOnlyTheirOwnSamplesAndValuesAreEscaped() async throws {
        let f = try ServerFixture()
        let password = try f.password("lab")
        let hostile = f.directory.appendingPathComponent("hostile.csv")
        try """
            lab,sample_id,sample_type,collected_on,region,sold_as,description,technique,analysed_on,substance,detected
            BE-DCA,XSS-1,powder,2026-11-17,BE21,<b>cocaine</b>,<script>alert(1)</script>,GC-MS,2026-11-18,cocaine,true
            """.write(to: hostile, atomically: true, encoding: .utf8)
        let imported = try ImportPipeline.standard(database: f.database, observers: []).importFile(at: hostile, options: .init())
        try #require(imported.outcome == .imported, "\(imported.errors)")
        try await f.test { client in
            var browser = Browser()
            try await browser.logIn(client, "lab", password)
            let list = try await browser.get(client, "/samples").text
            #expect(list.contains("/samples/BE-DCA/"))
            #expect(!list.contains("/samples/BE-NICC/"))
            #expect(try await browser.get(client, "/samples/BE-NICC/NICC-36001").status == .notFound)
            #expect(try await browser.get(client, "/ministry").status == .forbidden)
            let page = try await browser.get(client, "/samples/BE-DCA/XSS-1")
            #expect(page.status == .ok)
            #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>alert"))
            #expect(!page.text.contains("<b>cocaine</b>"))
            #expect(page.headers[values: .init("Content-Security-Policy")!].first?.contains("script-src 'self'") == true)
        }
    }
}

/// The session cookie's name, as browsers see it.
enum WebSessionsCookie {
    static let name = "drugcheck_session"
}
