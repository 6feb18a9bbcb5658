import DrugCheckBulletins
import DrugCheckStore
import Foundation
import HummingbirdTesting
import Testing

/// The command line and the server render a bulletin and the Atom feed the same: the bytes of
/// `drugcheck bulletins show ID --format F [--lang L]` are the body of
/// `GET /v1/bulletins/ID.F[?lang=L]` for a reviewer, and `drugcheck bulletins feed --lang L` is
/// `GET /v1/bulletins/feed.atom?lang=L`.
@Suite struct SameBytesTests {
    /// The `drugcheck` executable built beside the test bundle.
    static func cli() throws -> URL {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
                          Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        let found = candidates.map { $0.appendingPathComponent("drugcheck") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "the drugcheck executable is not beside the tests (swift build --build-tests builds it)")
    }

    static func run(_ arguments: [String], database: DrugCheckDatabase) throws -> Data {
        let process = Process()
        process.executableURL = try cli()
        process.arguments = arguments + ["--db", database.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "drugcheck \(arguments.joined(separator: " "))")
        return data
    }

    @Test func cliAndServerRenderTheSameBulletinBytes() async throws {
        let (f, published, draft) = try BulletinRoutesTests.fixture()
        try await f.test { client in
            for id in [published, draft] {
                for format in [BulletinFormat.cap, .json, .html] {
                    for lang in [nil, "nl"] as [String?] {
                        let cli = try Self.run(["bulletins", "show", "\(id)", "--format", format.rawValue] + (lang.map { ["--lang", $0] } ?? []),
                                               database: f.database)
                        let uri = "/v1/bulletins/\(id).\(format.rawValue)" + (lang.map { "?lang=\($0)" } ?? "")
                        try await client.execute(uri: uri, method: .get, headers: f.headers("reviewer")) { r in
                            #expect(r.status == .ok)
                            #expect(Data(r.text.utf8) == cli, "\(uri) differs from drugcheck bulletins show")
                        }
                    }
                }
            }
        }
    }

    @Test func cliAndServerServeTheSameFeed() async throws {
        let (f, _, _) = try BulletinRoutesTests.fixture()
        try await f.test { client in
            for lang in BulletinLanguage.allCases {
                let cli = try Self.run(["bulletins", "feed", "--lang", lang.rawValue], database: f.database)
                try await client.execute(uri: "/v1/bulletins/feed.atom?lang=\(lang.rawValue)", method: .get, headers: f.headers("subscriber")) { r in
                    #expect(r.status == .ok)
                    #expect(Data(r.text.utf8) == cli, "feed in \(lang.rawValue)")
                    #expect(r.text.contains("<entry>"), "the fixture has a published bulletin")
                }
            }
        }
    }

    /// The renderer the two shells share, for every format, on the published bulletin.
    @Test func everyFormatRendersWithATrailingNewline() throws {
        let (f, published, _) = try BulletinRoutesTests.fixture()
        let store = BulletinStore(database: f.database)
        let bulletin = try #require(try store.bulletin(id: published))
        let document = try BulletinDocument.current(bulletin, messages: try store.messages(bulletinID: published))
        for format in BulletinFormat.allCases {
            let bytes = try format.render(document)
            #expect(bytes.last == UInt8(ascii: "\n"), "\(format.rawValue)")
            let cli = try Self.run(["bulletins", "show", "\(published)", "--format", format.rawValue], database: f.database)
            #expect(cli == bytes, "\(format.rawValue): the CLI prints the shared renderer's bytes")
        }
    }
}
