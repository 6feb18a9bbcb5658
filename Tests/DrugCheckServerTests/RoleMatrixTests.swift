import DrugCheckAccess
import DrugCheckImport
import DrugCheckBulletins
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Every registered route × every caller (no token, each role, a lab token of another lab):
/// the answer is the expected 2xx, 401 or 403/404, and a lab never sees the other lab's data.
@Suite struct RoleMatrixTests {
    /// How to call one route: a concrete URI and body, fresh for each caller.
    struct Case {
        var uri: String
        var body: ByteBuffer?
        /// What the two lab tokens get: BE-DCA's own resource, or BE-NICC reaching for it.
        var lab: HTTPResponse.Status.Kind = .clientError
        var otherLab: Set<Int> = [403, 404]
    }

    static let callers = ["none", "lab", "otherLab"] + Role.allCases.filter { $0 != .lab }.map(\.rawValue)

    func matrixCases(_ f: ServerFixture, batchID: Int64) throws -> [String: (String) throws -> Case] {
        let access = AccessStore(database: f.database)
        let json = { (s: String) in ByteBuffer(string: s) }
        let upload = try ServerFixture.bytes(ServerFixture.dcaFile)
        let dcaSampleRef = try #require(try SampleQuery(labCode: "BE-DCA").fetchWithIDs(in: f.database).first?.id)
        let b = try BulletinPool(f.database)
        let subscribers = Subscribers(database: f.database)
        return [
            "GET /healthz": { _ in Case(uri: "/healthz", lab: .successful, otherLab: [200]) },
            "GET /metrics": { _ in Case(uri: "/metrics") },
            // The other lab uploading BE-DCA's file is refused by content (422).
            "POST /v1/imports": { _ in Case(uri: "/v1/imports", body: upload, lab: .successful, otherLab: [422]) },
            "GET /v1/imports/{id}": { _ in Case(uri: "/v1/imports/\(batchID)", lab: .successful) },
            // Registering BE-DCA's samples: the other lab is refused by content (422).
            "POST /v1/samples": { _ in Case(uri: "/v1/samples", body: json("lab,sample_id,sample_type\nBE-DCA,REG-1,powder\n"),
                                            lab: .successful, otherLab: [422]) },
            "GET /v1/samples": { _ in Case(uri: "/v1/samples", lab: .successful, otherLab: [200]) },
            // The verifier gets a sample of its own whose result waits (imported by someone else).
            "POST /v1/samples/{lab}/{id}/verification": { caller in
                let id = "PENDING-\(caller)"
                var pipeline = ImportPipeline.standard(database: f.database, observers: [])
                pipeline.verification = VerificationPolicy(required: true, rules: [])
                let csv = FileManager.default.temporaryDirectory.appendingPathComponent("\(id)-\(UUID().uuidString).csv")
                defer { try? FileManager.default.removeItem(at: csv) }
                try Data("lab,sample_id,sample_type,collected_on,substance,detected\nBE-DCA,\(id),powder,2026-11-17,cocaine,yes\n".utf8).write(to: csv)
                _ = try pipeline.importFile(at: csv, options: .init(importedBy: "analyst"))
                return Case(uri: "/v1/samples/BE-DCA/\(id)/verification", body: json("{\"decision\": \"verify\"}"))
            },
            "GET /v1/samples/{lab}/{id}": { _ in Case(uri: "/v1/samples/BE-DCA/DCA-36001", lab: .successful) },
            "GET /v1/evidence/samples/{sampleRef}": { _ in Case(uri: "/v1/evidence/samples/\(dcaSampleRef)", lab: .successful) },
            "GET /v1/bulletins": { _ in Case(uri: "/v1/bulletins") },
            "GET /v1/bulletins/feed.atom": { _ in Case(uri: "/v1/bulletins/feed.atom") },
            "GET /v1/bulletins/{id}": { _ in Case(uri: "/v1/bulletins/\(b.published).cap") },
            // Each caller allowed to review gets a bulletin of its own in the right state.
            "POST /v1/bulletins/{id}/approve": { caller in Case(uri: "/v1/bulletins/\(b.take(.draft, for: caller))/approve") },
            "POST /v1/bulletins/{id}/publish": { caller in Case(uri: "/v1/bulletins/\(b.take(.approved, for: caller))/publish") },
            "POST /v1/bulletins/{id}/cancel": { caller in Case(uri: "/v1/bulletins/\(b.take(.draft, for: caller))/cancel") },
            "GET /v1/admin/subscribers": { _ in Case(uri: "/v1/admin/subscribers") },
            "POST /v1/admin/subscribers": { caller in
                Case(uri: "/v1/admin/subscribers", body: json(#"{"name": "m-\#(caller)", "url": "https://example.org/hook", "secret": "s"}"#))
            },
            "DELETE /v1/admin/subscribers/{name}": { caller in
                try subscribers.add(Subscriber(name: "gone-\(caller)", url: "https://example.org/hook", secret: "s"))
                return Case(uri: "/v1/admin/subscribers/gone-\(caller)")
            },
            "GET /v1/reports/weekly/{isoWeek}": { _ in Case(uri: "/v1/reports/weekly/2026-W36") },
            "GET /v1/reports/trend": { _ in Case(uri: "/v1/reports/trend?weeks=4") },
            "GET /v1/admin/labs": { _ in Case(uri: "/v1/admin/labs") },
            "POST /v1/admin/labs": { caller in
                Case(uri: "/v1/admin/labs", body: json(#"{"code": "NL-M-\#(caller)", "name": "Matrix lab", "country": "NL"}"#))
            },
            "GET /v1/admin/users": { _ in Case(uri: "/v1/admin/users") },
            "POST /v1/admin/users": { caller in
                Case(uri: "/v1/admin/users", body: json(#"{"name": "matrix-\#(caller)", "role": "subscriber"}"#))
            },
            "GET /v1/admin/users/{id}/tokens": { _ in Case(uri: "/v1/admin/users/1/tokens") },
            "POST /v1/admin/users/{id}/tokens": { _ in Case(uri: "/v1/admin/users/1/tokens") },
            "DELETE /v1/admin/tokens/{id}": { _ in
                let user = try access.createUser(name: "revoke-\(UUID().uuidString)", role: .subscriber)
                return Case(uri: "/v1/admin/tokens/\(try access.issueToken(userID: user.id).info.id)")
            },
        ]
    }

    /// Bulletins from the scan of both labs' examples: one published, and drafts and approved
    /// ones handed out so that every caller that may review one acts on a bulletin of its own.
    final class BulletinPool {
        let published: Int64
        private var drafts: [Int64]
        private var approved: [Int64]

        init(_ database: DrugCheckDatabase) throws {
            try BulletinScanner(database: database).scan(actor: "drugcheck-scan")
            let workflow = BulletinWorkflow(database: database)
            var ids = try BulletinStore(database: database).bulletins(state: .draft).map(\.id)
            try #require(ids.count >= 8, "the example imports give enough draft bulletins")
            published = ids.removeFirst()
            try workflow.approve(published, by: "matrix")
            try workflow.publish(published, by: "matrix")
            approved = Array(ids.prefix(3))
            for id in approved { try workflow.approve(id, by: "matrix") }
            drafts = Array(ids.dropFirst(3))
        }

        /// A bulletin in `state` for `caller`: a fresh one for the roles that will act on it.
        func take(_ state: BulletinState, for caller: String) -> Int64 {
            let acts = caller == Role.reviewer.rawValue || caller == Role.admin.rawValue
            if state == .approved { return acts ? approved.removeFirst() : approved[approved.count - 1] }
            return acts ? drafts.removeFirst() : drafts[drafts.count - 1]
        }
    }

    @Test func everyRouteEveryCaller() async throws {
        let f = try ServerFixture()
        let batchID = try #require(try ImportPipeline.standard(database: f.database, observers: []).importFile(at: ServerFixture.dcaFile, options: .init()).batchID)
        let cases = try matrixCases(f, batchID: batchID)
        var calls: [(route: RegisteredRoute, caller: String, c: Case)] = []
        for route in f.app.routes {
            let make = try #require(cases[route.description], "no matrix case for \(route)")
            for caller in Self.callers { calls.append((route, caller, try make(caller))) }
        }
        try await f.test { [calls] client in
            for (route, caller, c) in calls {
                let status = try await client.execute(uri: c.uri, method: HTTPRequest.Method(route.method)!,
                                                      headers: f.headers(caller == "none" ? nil : caller), body: c.body) { r in
                    // An upload's own content echoed in its rejection is not another lab's data.
                    if caller == "lab" || caller == "otherLab", c.body == nil {
                        #expect(!r.text.contains(caller == "lab" ? "BE-NICC" : "BE-DCA"), "\(route) leaked another lab's data to \(caller)")
                    }
                    return r.status
                }
                let expectation = "\(route) as \(caller): \(status.code)"
                if route.roles.isEmpty {
                    #expect(status.kind == .successful, "\(expectation)")
                } else if caller == "none" {
                    #expect(status == .unauthorized, "\(expectation)")
                } else if caller == "otherLab", route.roles.contains(.lab) {
                    #expect(c.otherLab.contains(status.code), "\(expectation)")
                } else if caller == "lab", route.roles.contains(.lab) {
                    #expect(status.kind == c.lab, "\(expectation)")
                } else if route.roles.contains(Role(rawValue: caller) ?? .lab) {
                    #expect(status.kind == .successful, "\(expectation)")
                } else {
                    #expect(status == .forbidden, "\(expectation)")
                }
            }
        }
    }
}
