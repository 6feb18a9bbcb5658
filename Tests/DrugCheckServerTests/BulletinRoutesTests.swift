import DrugCheckBulletins
import DrugCheckIngest
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The bulletin routes on the real example imports: what subscribers and reviewers see, CAP
/// against the OASIS schema, the Atom feed against RFC 4287 with cheap polling, links that
/// resolve to routes, and the review steps with the four-eyes rule over HTTP.
@Suite struct BulletinRoutesTests {
    static let refdata = ServerFixture.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/refdata")
    static let base = BulletinConfiguration().baseURL

    /// The fixture's bulletins: the scan of both labs' examples (by the reviewer's own user name,
    /// so the reviewer may not approve them), one of them approved by the admin and published.
    static func fixture() throws -> (ServerFixture, published: Int64, draft: Int64) {
        let f = try ServerFixture()
        try BulletinScanner(database: f.database).scan(actor: "reviewer")
        let drafts = try BulletinStore(database: f.database).bulletins(state: .draft).map(\.id)
        try #require(drafts.count >= 2)
        let workflow = BulletinWorkflow(database: f.database)
        try workflow.approve(drafts[0], by: "admin")
        try workflow.publish(drafts[0], by: "admin")
        return (f, drafts[0], drafts[1])
    }

    static func ids(_ response: TestResponse) throws -> [Int64] {
        let list = try #require((try response.json() as? [String: Any])?["bulletins"] as? [[String: Any]])
        return list.compactMap { ($0["id"] as? NSNumber)?.int64Value }
    }

    @Test func subscribersSeeOnlyPublishedBulletinsReviewersSeeDrafts() async throws {
        let (f, published, draft) = try Self.fixture()
        let total = try BulletinStore(database: f.database).bulletins().count
        try await f.test { client in
            for caller in ["subscriber", "ministry"] {
                try await client.execute(uri: "/v1/bulletins", method: .get, headers: f.headers(caller)) { r in
                    #expect(r.status == .ok)
                    try #expect(try Self.ids(r) == [published])
                }
                try await client.execute(uri: "/v1/bulletins/\(draft)", method: .get, headers: f.headers(caller)) { r in
                    #expect(r.status == .notFound, "a draft is invisible to \(caller)")
                }
            }
            try await client.execute(uri: "/v1/bulletins", method: .get, headers: f.headers("reviewer")) { r in
                try #expect(try Self.ids(r).count == total)
            }
            try await client.execute(uri: "/v1/bulletins?state=draft&lang=nl", method: .get, headers: f.headers("reviewer")) { r in
                try #expect(try !Self.ids(r).contains(published))
                #expect(r.text.contains("Eerste detectie") || r.text.contains("Zeer krachtig"), "Dutch headlines")
            }
            try await client.execute(uri: "/v1/bulletins/\(draft).cap", method: .get, headers: f.headers("reviewer")) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("<status>Draft</status>"), "a draft is previewed as CAP Draft")
            }
            try await client.execute(uri: "/v1/bulletins?lang=xx", method: .get, headers: f.headers("subscriber")) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    @Test func bulletinAsCAPJSONAndHTMLWithWorkingLinks() async throws {
        let (f, published, _) = try Self.fixture()
        let xsd = try String(contentsOf: Self.refdata.appendingPathComponent("schemas/cap/CAP-v1.2.xsd"), encoding: .utf8)
        let schema = try XMLSchema(xsd: xsd, name: "CAP-v1.2.xsd")
        try await f.test { client in
            let cap = try await client.execute(uri: "/v1/bulletins/\(published).cap", method: .get, headers: f.headers("subscriber")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/cap+xml")
                #expect(r.headers[.eTag] != nil)
                return r.text
            }
            let file = f.directory.appendingPathComponent("bulletin.cap")
            try cap.write(to: file, atomically: true, encoding: .utf8)
            let reader = try XMLStreamReader(file: file, maxBytes: 1 << 20, schema: schema)
            while try reader.next() != nil {}
            #expect(cap.components(separatedBy: "<info>").count - 1 == 4, "all four languages by default")

            try await client.execute(uri: "/v1/bulletins/\(published)?lang=fr", method: .get,
                                     headers: f.headers("subscriber", [.accept: "application/cap+xml"])) { r in
                #expect(r.text.components(separatedBy: "<info>").count - 1 == 1)
                #expect(r.text.contains("<language>fr-BE</language>"))
            }
            try await client.execute(uri: "/v1/bulletins/\(published)", method: .get, headers: f.headers("subscriber")) { r in
                let json = try #require(try r.json() as? [String: Any])
                #expect((json["bulletin_id"] as? NSNumber)?.int64Value == published)
                #expect(json["cap_url"] as? String == "\(Self.base)/v1/bulletins/\(published).cap")
            }
            try await client.execute(uri: "/v1/bulletins/\(published).html", method: .get, headers: f.headers("subscriber")) { r in
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                #expect(r.text.hasPrefix("<!DOCTYPE html>"))
            }
            // Every evidence link of the CAP document is a route a reviewer can follow.
            let links = cap.components(separatedBy: "<uri>").dropFirst().compactMap { $0.components(separatedBy: "</uri>").first }
            #expect(!links.isEmpty)
            for link in links {
                #expect(link.hasPrefix(Self.base))
                let path = String(link.dropFirst(Self.base.count))
                try await client.execute(uri: path, method: .get, headers: f.headers("reviewer")) { r in
                    #expect(r.status == .ok, "\(path) answered \(r.status)")
                }
            }
        }
    }

    @Test func atomFeedIsValidAndPolledCheaply() async throws {
        let (f, published, draft) = try Self.fixture()
        let rng = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("Schemas/atom/atom-rfc4287.rng"), encoding: .utf8)
        let atom = try RelaxNGSchema(rng: rng, name: "atom-rfc4287.rng")
        try await f.test { client in
            let (tag, modified, feed) = try await client.execute(uri: "/v1/bulletins/feed.atom", method: .get,
                                                                 headers: f.headers("subscriber")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/atom+xml; charset=utf-8")
                return (try #require(r.headers[.eTag]), try #require(r.headers[.lastModified]), r.text)
            }
            try atom.validate(feed)
            #expect(feed.contains("href=\"\(Self.base)/v1/bulletins/feed.atom\""))
            #expect(feed.contains("href=\"\(Self.base)/v1/bulletins/\(published).cap\""))
            #expect(!feed.contains("/v1/bulletins/\(draft).cap"), "drafts are not in the feed")
            try await client.execute(uri: "/v1/bulletins/feed.atom", method: .get, headers: f.headers("subscriber", [.ifNoneMatch: tag])) { r in
                #expect(r.status == .notModified)
                #expect(r.body.readableBytes == 0)
            }
            try await client.execute(uri: "/v1/bulletins/feed.atom", method: .get,
                                     headers: f.headers("subscriber", [.ifModifiedSince: modified])) { r in
                #expect(r.status == .notModified)
            }
            // Publishing another bulletin changes the feed: the old tag no longer matches.
            try BulletinWorkflow(database: f.database).approve(draft, by: "admin", at: Date().addingTimeInterval(5))
            try BulletinWorkflow(database: f.database).publish(draft, by: "admin", at: Date().addingTimeInterval(5))
            try await client.execute(uri: "/v1/bulletins/feed.atom", method: .get, headers: f.headers("subscriber", [.ifNoneMatch: tag])) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.eTag] != tag)
                #expect(r.text.contains("/v1/bulletins/\(draft).cap"))
                try atom.validate(r.text)
            }
            try await client.execute(uri: "/v1/bulletins/feed.atom", method: .get,
                                     headers: f.headers("subscriber", [.ifModifiedSince: modified])) { r in
                #expect(r.status == .ok, "newer than If-Modified-Since")
            }
            try await client.execute(uri: "/v1/bulletins/feed.atom?lang=de", method: .get, headers: f.headers("subscriber")) { r in
                #expect(r.text.contains("xml:lang=\"de-DE\""))
                try atom.validate(r.text)
            }
        }
    }

    @Test func reviewStepsFollowTheWorkflowAndTheFourEyesRule() async throws {
        let (f, published, draft) = try Self.fixture()
        try await f.test { client in
            // The reviewer's user created the draft (the scan ran as "reviewer"): another person must approve.
            try await client.execute(uri: "/v1/bulletins/\(draft)/approve", method: .post, headers: f.headers("reviewer")) { r in
                #expect(r.status == .forbidden)
                try #expect(try r.problem()["title"] as? String == "Four-eyes rule")
            }
            try await client.execute(uri: "/v1/bulletins/\(draft)/publish", method: .post, headers: f.headers("admin")) { r in
                #expect(r.status == .conflict, "a draft must be approved first")
            }
            try await client.execute(uri: "/v1/bulletins/\(draft)/approve", method: .post, headers: f.headers("admin")) { r in
                #expect(r.status == .ok)
                try #expect((try r.json() as? [String: Any])?["state"] as? String == "approved")
            }
            try await client.execute(uri: "/v1/bulletins/\(draft)/publish", method: .post, headers: f.headers("admin")) { r in
                try #expect((try r.json() as? [String: Any])?["state"] as? String == "published")
            }
            try await client.execute(uri: "/v1/bulletins/\(published)/cancel", method: .post, headers: f.headers("reviewer"),
                                     body: ByteBuffer(string: #"{"note": "Wrong substance: re-tested", "error": true}"#)) { r in
                #expect(r.status == .ok)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["state"] as? String == "cancelled")
                #expect(json["msg_type"] as? String == "Error")
            }
            try await client.execute(uri: "/v1/bulletins/\(published).cap", method: .get, headers: f.headers("subscriber")) { r in
                #expect(r.text.contains("<msgType>Error</msgType>"))
                #expect(r.text.contains("<note>Wrong substance: re-tested</note>"))
                #expect(r.text.contains("<references>"))
            }
            try await client.execute(uri: "/v1/bulletins/999999/approve", method: .post, headers: f.headers("reviewer")) { r in
                #expect(r.status == .notFound)
            }
        }
        let audit = try BulletinStore(database: f.database).audit(bulletinID: draft)
        #expect(audit.contains { $0.action == "approved" && $0.actor == "admin" })
        #expect(audit.contains { $0.action == "published" && $0.actor == "admin" })
    }

    @Test func subscribersAreManagedWithoutRevealingSecrets() async throws {
        let f = try ServerFixture()
        let body = #"{"name": "poison-centre", "url": "https://example.org/hook", "secret": "s3cr3t-value", "classes": ["nitazene"], "regions": ["BE2"], "minimum_severity": "Severe", "languages": ["nl", "fr"]}"#
        try await f.test { client in
            try await client.execute(uri: "/v1/admin/subscribers", method: .post, headers: f.headers("admin"), body: ByteBuffer(string: body)) { r in
                #expect(r.status == .created)
                #expect(!r.text.contains("s3cr3t-value"))
            }
            try await client.execute(uri: "/v1/admin/subscribers", method: .post, headers: f.headers("admin"), body: ByteBuffer(string: body)) { r in
                #expect(r.status == .conflict)
            }
            try await client.execute(uri: "/v1/admin/subscribers", method: .post, headers: f.headers("admin"),
                                     body: ByteBuffer(string: #"{"name": "x", "url": "file:///etc/passwd", "secret": "s"}"#)) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/v1/admin/subscribers", method: .get, headers: f.headers("admin")) { r in
                #expect(!r.text.contains("s3cr3t-value"))
                let list = try #require(try r.json() as? [[String: Any]])
                #expect(list.count == 1)
                #expect(list.first?["minimum_severity"] as? String == "Severe")
                #expect(list.first?["regions"] as? [String] == ["BE2"])
            }
            try await client.execute(uri: "/v1/admin/subscribers/poison-centre", method: .delete, headers: f.headers("admin")) { r in
                #expect(r.status == .noContent)
            }
            try await client.execute(uri: "/v1/admin/subscribers/poison-centre", method: .delete, headers: f.headers("admin")) { r in
                #expect(r.status == .notFound)
            }
        }
        let stored = try Subscribers(database: f.database).list()
        #expect(stored.isEmpty)
    }

    @Test func weeklyReportAsHTMLPage() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            for headers: HTTPFields in [[:], [.accept: "text/html"]] {
                let uri = headers.isEmpty ? "/v1/reports/weekly/2026-W36.html" : "/v1/reports/weekly/2026-W36"
                try await client.execute(uri: uri, method: .get, headers: f.headers("ministry", headers)) { r in
                    #expect(r.status == .ok)
                    #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(r.text.hasPrefix("<!DOCTYPE html>"))
                    #expect(r.text.contains("<svg"), "the 12-week chart is inline")
                    #expect(!r.text.contains("<script") && !r.text.contains("src="), "self-contained")
                }
            }
        }
    }
}
