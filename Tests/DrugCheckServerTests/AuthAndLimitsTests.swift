import DrugCheckAccess
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct AuthAndLimitsTests {
    @Test func tokensAreStoredOnlyAsHashes() throws {
        let f = try ServerFixture()
        let secret = try #require(f.tokens["ministry"])
        #expect(secret.hasPrefix("dct_") && secret.count == 68)
        let files = [f.database.path, f.database.path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
        let stored = files.reduce(Data(), +)
        #expect(stored.range(of: Data(secret.utf8)) == nil)
        #expect(stored.range(of: Data(BearerSecret.hash(secret).utf8)) != nil)
    }

    @Test func missingUnknownAndRevokedTokensGet401Problems() async throws {
        let f = try ServerFixture()
        let access = AccessStore(database: f.database)
        let user = try access.createUser(name: "short-lived", role: .ministry)
        let issued = try access.issueToken(userID: user.id)
        try access.revokeToken(id: issued.info.id)
        try await f.test { client in
            for auth in [nil, "Bearer dct_" + String(repeating: "0", count: 64), "Bearer \(issued.secret)", "Basic YTpi"] {
                var headers = HTTPFields()
                if let auth { headers[.authorization] = auth }
                try await client.execute(uri: "/v1/reports/trend", method: .get, headers: headers) { r in
                    #expect(r.status == .unauthorized)
                    #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let problem = try r.problem()
                    #expect(problem["status"] as? Int == 401)
                    #expect(problem["title"] as? String == "Authentication required")
                }
            }
            try await client.execute(uri: "/v1/nothing-here", method: .get) { r in
                #expect(r.status == .notFound)
                try #expect(try r.problem()["status"] as? Int == 404)
            }
        }
    }

    @Test func adminIssuesAndRevokesTokens() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let userID = try await client.execute(uri: "/v1/admin/users", method: .post, headers: f.headers("admin"),
                                                  body: ByteBuffer(string: #"{"name": "ghent-lab", "role": "lab", "lab": "BE-GENT"}"#)) { r in
                #expect(r.status == .created)
                return try #require((try r.json() as? [String: Any])?["id"] as? Int)
            }
            let (tokenID, secret) = try await client.execute(uri: "/v1/admin/users/\(userID)/tokens", method: .post, headers: f.headers("admin")) { r in
                #expect(r.status == .created)
                #expect(r.headers[.cacheControl] == "no-store")
                let json = try #require(try r.json() as? [String: Any])
                return (try #require(json["id"] as? Int), try #require(json["token"] as? String))
            }
            try await client.execute(uri: "/v1/samples", method: .get, headers: [.authorization: "Bearer \(secret)"]) { r in
                #expect(r.status == .ok)
                try #expect(try (r.json() as? [String: Any])?["samples"] as? [Any] != nil)
            }
            try await client.execute(uri: "/v1/admin/users/\(userID)/tokens", method: .get, headers: f.headers("admin")) { r in
                #expect(!r.text.contains(secret), "a listed token never shows its secret")
            }
            try await client.execute(uri: "/v1/admin/tokens/\(tokenID)", method: .delete, headers: f.headers("admin")) { r in
                #expect(r.status == .noContent)
            }
            try await client.execute(uri: "/v1/samples", method: .get, headers: [.authorization: "Bearer \(secret)"]) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/admin/users", method: .post, headers: f.headers("admin"),
                                     body: ByteBuffer(string: #"{"name": "no-lab", "role": "lab"}"#)) { r in
                #expect(r.status == .badRequest)
                try #expect(try r.problem()["detail"] as? String == "a lab user needs a lab code")
            }
        }
    }

    @Test func bodiesOverTheLimitGet413() async throws {
        let f = try ServerFixture(seedDCA: false) { config in
            config.importBodyLimit = 4096
            config.bodyLimit = 64
        }
        try await f.test { client in
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("lab"),
                                     body: try ServerFixture.bytes(ServerFixture.dcaFile)) { r in
                #expect(r.status == .contentTooLarge)
                try #expect(try r.problem()["status"] as? Int == 413)
            }
            try await client.execute(uri: "/v1/admin/labs", method: .post, headers: f.headers("admin"),
                                     body: ByteBuffer(string: #"{"code": "XX-1", "name": "\#(String(repeating: "x", count: 100))", "country": "XX"}"#)) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }

    @Test func eachTokenHasItsOwnRateLimit() async throws {
        let f = try ServerFixture { config in
            config.rateLimitPerSecond = 0.01
            config.rateLimitBurst = 3
        }
        try await f.test { client in
            for _ in 0..<3 {
                try await client.execute(uri: "/v1/reports/trend?weeks=1", method: .get, headers: f.headers("ministry")) { r in
                    #expect(r.status == .ok)
                }
            }
            try await client.execute(uri: "/v1/reports/trend?weeks=1", method: .get, headers: f.headers("ministry")) { r in
                #expect(r.status == .tooManyRequests)
                #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 >= 1)
                try #expect(try r.problem()["status"] as? Int == 429)
            }
            try await client.execute(uri: "/v1/reports/trend?weeks=1", method: .get, headers: f.headers("reviewer")) { r in
                #expect(r.status == .ok)
            }
        }
    }

    @Test func metricsCountImportsAndLatency() async throws {
        let f = try ServerFixture(seedDCA: false)
        try await f.test { client in
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("lab"), body: try ServerFixture.bytes(ServerFixture.dcaFile))
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("otherLab"), body: try ServerFixture.bytes(ServerFixture.dcaFile))
            try await client.execute(uri: "/metrics", method: .get, headers: f.headers("admin")) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                #expect(r.text.contains("drugcheck_imports_total{outcome=\"imported\"} 1\n"))
                #expect(r.text.contains("drugcheck_imports_total{outcome=\"rejected\"} 1\n"))
                #expect(r.text.contains("drugcheck_http_requests_total{method=\"POST\",route=\"/v1/imports\",status=\"201\"} 1\n"))
                #expect(r.text.contains("drugcheck_http_request_duration_seconds_count{route=\"/v1/imports\"} 2\n"))
            }
        }
    }
}
