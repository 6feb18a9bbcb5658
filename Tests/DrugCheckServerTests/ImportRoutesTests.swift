import DrugCheckServer
import Foundation
import HummingbirdTesting
import NIOCore
import Testing

@Suite struct ImportRoutesTests {
    @Test func rawUploadIsCreatedThenAlreadyImported() async throws {
        let f = try ServerFixture(seedDCA: false)
        let body = try ServerFixture.bytes(ServerFixture.dcaFile)
        try await f.test { client in
            let location = try await client.execute(uri: "/v1/imports?filename=be-dca-drugchecking.csv", method: .post,
                                                    headers: f.headers("lab"), body: body) { r in
                #expect(r.status == .created)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["outcome"] as? String == "imported")
                #expect(json["format"] as? String == "findings-csv")
                #expect(json["file"] as? String == "be-dca-drugchecking.csv")
                #expect(try (json["findings"] as? Int ?? 0) == ServerFixture.findingRows(ServerFixture.dcaFile))
                return try #require(r.headers[.location])
            }
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("lab"), body: body) { r in
                #expect(r.status == .ok)
                try #expect(try (r.json() as? [String: Any])?["outcome"] as? String == "already_imported")
            }
            try await client.execute(uri: location, method: .get, headers: f.headers("lab")) { r in
                #expect(r.status == .ok)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["lab"] as? String == "BE-DCA")
                #expect(json["outcome"] as? String == "imported")
            }
            // Another lab does not learn that the batch exists.
            try await client.execute(uri: location, method: .get, headers: f.headers("otherLab")) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func uploadedMzMLSpectraAreIdentifiedDuringTheImport() async throws {
        let f = try ServerFixture(seedDCA: false)
        let mzML = ServerFixture.packageRoot.appendingPathComponent("Imports/mzml-example.mzML")
        try await f.test { client in
            try await client.execute(uri: "/v1/imports?filename=run.mzML", method: .post, headers: f.headers("otherLab"),
                                     body: try ServerFixture.bytes(mzML)) { r in
                #expect(r.status == .created)
                let notes = try #require((try r.json() as? [String: Any])?["notes"] as? [String])
                #expect(notes.contains { $0.hasPrefix("2 spectra identified with drugcheck-default") }, "\(notes)")
            }
            try await client.execute(uri: "/v1/samples?limit=200", method: .get, headers: f.headers("otherLab")) { r in
                #expect(r.status == .ok)
                let samples = try #require((try r.json() as? [String: Any])?["samples"] as? [[String: Any]])
                let run = try #require(samples.first { $0["sample_id"] as? String == "NICC-2026-0478" })
                let classes = (run["classification"] as? [String: Any])?["positiveClasses"] as? [String]
                #expect(classes?.contains("fentanyl_analogue") == true, "identified at once, not after 'classify'")
                let analyses = try #require((run["sample"] as? [String: Any])?["analyses"] as? [[String: Any]])
                let findings = analyses.flatMap { $0["findings"] as? [[String: Any]] ?? [] }
                let graded = try #require(findings.first { ($0["confidence"] as? [String: Any])?["assessedBy"] as? String == "drugcheck" })
                #expect(graded["substanceID"] as? String == "fentanyl")
                #expect((graded["confidence"] as? [String: Any])?["level"] as? String == "2a")
            }
        }
    }

    @Test func aCollationOfSeveralLabsIsAnAdminsUploadNotALabs() async throws {
        let f = try ServerFixture(seedDCA: false)
        let collation = ByteBuffer(string: """
            lab,sample_id,sample_type,collected_on,substance,detected
            BE-DCA,C1,powder,2026-09-01,cocaine,true
            NL-DIMS,C1,powder,2026-09-02,heroin,true

            """)
        try await f.test { client in
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("lab"), body: collation) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("admin"), body: collation) { r in
                #expect(r.status == .created)
                let json = try r.json() as? [String: Any]
                #expect(json?["samples"] as? Int == 2)
            }
        }
    }

    @Test func anotherLabsFileIsRejectedWithItsProblems() async throws {
        let f = try ServerFixture(seedDCA: false)
        try await f.test { client in
            try await client.execute(uri: "/v1/imports", method: .post, headers: f.headers("otherLab"),
                                     body: try ServerFixture.bytes(ServerFixture.dcaFile)) { r in
                #expect(r.status == .unprocessableContent)
                let problem = try r.problem()
                #expect(problem["outcome"] as? String == "rejected")
                let errors = try #require(problem["errors"] as? [[String: Any]])
                #expect(errors.contains { ($0["message"] as? String ?? "").contains("belongs to lab 'BE-DCA'") })
                #expect(!r.text.contains("quarantine"), "server paths stay internal")
            }
        }
    }

    @Test func brokenFileIsRejectedWithLocatedErrors() async throws {
        let f = try ServerFixture()
        let broken = ServerFixture.packageRoot.appendingPathComponent("Imports/broken-example-findings.csv")
        try await f.test { client in
            try await client.execute(uri: "/v1/imports?filename=broken.csv", method: .post, headers: f.headers("lab"),
                                     body: try ServerFixture.bytes(broken)) { r in
                #expect(r.status == .unprocessableContent)
                let errors = try #require(try r.problem()["errors"] as? [[String: Any]])
                #expect(!errors.isEmpty)
                #expect(errors.allSatisfy { ($0["line"] as? Int ?? 0) > 0 })
            }
        }
    }

    @Test func multipartUploadTakesTheFilePart() async throws {
        let f = try ServerFixture(seedDCA: false)
        let boundary = "drugcheck-test-boundary"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nweekly upload\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"be-dca-drugchecking.csv\"\r\n")
        body.writeString("Content-Type: text/csv\r\n\r\n")
        body.writeBytes(try Data(contentsOf: ServerFixture.dcaFile))
        body.writeString("\r\n--\(boundary)--\r\n")
        let multipart = body
        try await f.test { client in
            try await client.execute(uri: "/v1/imports", method: .post,
                                     headers: f.headers("lab", [.contentType: "multipart/form-data; boundary=\(boundary)"]), body: multipart) { r in
                #expect(r.status == .created)
                let json = try #require(try r.json() as? [String: Any])
                #expect(json["file"] as? String == "be-dca-drugchecking.csv")
                #expect(try (json["findings"] as? Int ?? 0) == ServerFixture.findingRows(ServerFixture.dcaFile))
            }
        }
    }
}
