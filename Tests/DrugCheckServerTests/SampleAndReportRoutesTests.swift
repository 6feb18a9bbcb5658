import DrugCheckImport
import DrugCheckModel
import DrugCheckReports
import DrugCheckServer
import DrugCheckStore
import Foundation
import HummingbirdTesting
import Testing

@Suite struct SampleAndReportRoutesTests {
    /// Every sample id of a lab's example file, from the file itself.
    static func sampleIDs(_ url: URL, separator: Character) throws -> Set<String> {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return Set(lines.map { String($0.split(separator: separator, omittingEmptySubsequences: false)[1]) })
    }

    @Test func cursorPagesCoverTheLabsSamplesOnce() async throws {
        let f = try ServerFixture()
        let expected = try Self.sampleIDs(ServerFixture.dcaFile, separator: ",")
        try await f.test { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/v1/samples?limit=25" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: uri, method: .get, headers: f.headers("lab")) { r in
                    #expect(r.status == .ok)
                    let page = try #require(try r.json() as? [String: Any])
                    let samples = try #require(page["samples"] as? [[String: Any]])
                    #expect(samples.count <= 25)
                    #expect(samples.allSatisfy { $0["lab"] as? String == "BE-DCA" })
                    seen += samples.compactMap { $0["sample_id"] as? String }
                    return page["next_cursor"] as? String
                }
            } while cursor != nil
            #expect(seen.count == expected.count)
            #expect(Set(seen) == expected)
        }
    }

    @Test func filtersAndDetail() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/v1/samples?week=2026-W36&class=nitazene", method: .get, headers: f.headers("lab")) { r in
                let samples = try #require((try r.json() as? [String: Any])?["samples"] as? [[String: Any]])
                #expect(!samples.isEmpty)
                #expect(samples.allSatisfy { $0["week"] as? String == "2026-W36" })
            }
            try await client.execute(uri: "/v1/samples?week=2026-47", method: .get, headers: f.headers("lab")) { r in
                #expect(r.status == .badRequest)
                try #expect(try (r.problem()["detail"] as? String ?? "").hasPrefix("week: expected"))
            }
            try await client.execute(uri: "/v1/samples/BE-DCA/DCA-36001", method: .get, headers: f.headers("lab")) { r in
                #expect(r.status == .ok)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["sample_id"] as? String == "DCA-36001")
                let classification = try #require(json["classification"] as? [String: Any])
                #expect(!classification.isEmpty)
                #expect(r.text.contains("N-pyrrolidino etonitazene"))
            }
        }
    }

    @Test func weeklyReportNegotiatesJSONAndCSVWithETags() async throws {
        let f = try ServerFixture()
        let week = ISOWeek("2026-W36")!
        let report = try WeeklyReportBuilder(database: f.database).report(for: week)
        try await f.test { client in
            let tag = try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get, headers: f.headers("ministry")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/json")
                // The same document as `drugcheck report weekly --format json`, member for member.
                let cli = try JSONSerialization.jsonObject(with: Data(try WeeklyReportRenderer.json(report).utf8)) as? NSDictionary
                try #expect(try r.json() as? NSDictionary == cli)
                return try #require(r.headers[.eTag])
            }
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get,
                                     headers: f.headers("ministry", [.ifNoneMatch: tag])) { r in
                #expect(r.status == .notModified)
                #expect(r.body.readableBytes == 0)
            }
            // If-None-Match compares weakly (RFC 9110 §13.1.2), in a list too.
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get,
                                     headers: f.headers("ministry", [.ifNoneMatch: "\"other\", W/\(tag)"])) { r in
                #expect(r.status == .notModified)
            }
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get,
                                     headers: f.headers("ministry", [.ifNoneMatch: "W/\"other\""])) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .head, headers: f.headers("ministry")) { r in
                #expect(r.status == .ok, "HEAD is answered like GET, as Allow says")
            }
            // A known path with another method: 405 naming the allowed ones.
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .delete, headers: f.headers("ministry")) { r in
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.allow] == "GET, HEAD")
                #expect(r.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/v1/imports", method: .put, headers: f.headers("lab")) { r in
                #expect(r.status == .methodNotAllowed)
                #expect(r.headers[.allow]?.contains("POST") == true)
            }
            try await client.execute(uri: "/v1/no-such-path", method: .delete, headers: f.headers("ministry")) { r in
                #expect(r.status == .notFound)
            }
            let csv = WeeklyReportRenderer.csv(report)
            try await client.execute(uri: "/v1/reports/weekly/2026-W36.csv", method: .get, headers: f.headers("ministry")) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(r.text == csv)
            }
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get,
                                     headers: f.headers("ministry", [.accept: "text/csv;q=0.9, application/xml"])) { r in
                #expect(r.text == csv)
            }
            try await client.execute(uri: "/v1/reports/weekly/2026-W36", method: .get,
                                     headers: f.headers("ministry", [.accept: "application/xml"])) { r in
                #expect(r.status == .notAcceptable)
            }
        }
    }

    /// Reports are cached between commits: a commit by another connection (as a CLI import in
    /// another process makes) is seen by the very next request.
    @Test func cachedReportFollowsCommitsOfOtherConnections() async throws {
        let f = try ServerFixture(seedDCA: false)
        let uri = "/v1/reports/weekly/2026-W36"
        try await f.test { client in
            let before = try await client.execute(uri: uri, method: .get, headers: f.headers("ministry")) { $0.text }
            try await client.execute(uri: uri, method: .get, headers: f.headers("ministry")) { r in #expect(r.text == before) }
            let otherConnection = try DrugCheckDatabase(path: f.database.path)
            try #expect(try ImportPipeline.standard(database: otherConnection, observers: []).importFile(at: ServerFixture.dcaFile, options: .init()).outcome == .imported)
            let expected = try WeeklyRenderer.json(f, week: "2026-W36")
            try await client.execute(uri: uri, method: .get, headers: f.headers("ministry")) { r in
                #expect(r.text != before)
                try #expect(try r.json() as? NSDictionary == expected)
            }
        }
    }

    @Test func trendSumsAllSampleTypesPerWeek() async throws {
        let f = try ServerFixture()
        let builder = WeeklyReportBuilder(database: f.database)
        try await f.test { client in
            try await client.execute(uri: "/v1/reports/trend?weeks=3&end=2026-W37", method: .get, headers: f.headers("ministry")) { r in
                #expect(r.status == .ok)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["weeks"] as? [String] == ["2026-W35", "2026-W36", "2026-W37"])
                let series = try #require(json["series"] as? [[String: Any]])
                let nitazene = try #require(series.first { $0["class"] as? String == "nitazene" })
                let expected = try ["2026-W35", "2026-W36", "2026-W37"].map { try builder.report(for: ISOWeek($0)!).cell(.nitazene)?.positive ?? 0 }
                #expect(nitazene["positive"] as? [Int] == expected)
            }
        }
    }
}

/// The report as `drugcheck report weekly --format json` renders it, parsed.
enum WeeklyRenderer {
    static func json(_ f: ServerFixture, week: String) throws -> NSDictionary? {
        let report = try WeeklyReportBuilder(database: f.database).report(for: ISOWeek(week)!)
        return try JSONSerialization.jsonObject(with: Data(try WeeklyReportRenderer.json(report).utf8)) as? NSDictionary
    }
}
