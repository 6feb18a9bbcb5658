import DrugCheckAccess
import DrugCheckImport
import DrugCheckServer
import DrugCheckStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A server over a fresh database in a temporary folder, with the example exports of two labs
/// (`Imports/be-dca-drugchecking.csv`, `Imports/be-nicc-seizures.csv`) and one token per role.
struct ServerFixture: Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dcaFile = packageRoot.appendingPathComponent("Imports/be-dca-drugchecking.csv")
    static let niccFile = packageRoot.appendingPathComponent("Imports/be-nicc-seizures.csv")

    let directory: URL
    let database: DrugCheckDatabase
    let app: DrugCheckApp
    /// Tokens by caller name: `lab` (BE-DCA), `otherLab` (BE-NICC), and one per other role.
    let tokens: [String: String]

    /// - Parameter seedDCA: import the BE-DCA file directly (otherwise tests upload it over HTTP).
    init(seedDCA: Bool = true, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try DrugCheckDatabase(path: directory.appendingPathComponent("test.sqlite").path)
        let importer = ImportPipeline.standard(database: database, observers: [])
        try #expect(try importer.importFile(at: Self.niccFile, options: .init()).outcome == .imported)
        if seedDCA { try #expect(try importer.importFile(at: Self.dcaFile, options: .init()).outcome == .imported) }
        let access = AccessStore(database: database)
        var tokens: [String: String] = [:]
        let callers: [(String, Role, String?)] = [("lab", .lab, "BE-DCA"), ("otherLab", .lab, "BE-NICC")]
            + Role.allCases.filter { $0 != .lab }.map { ($0.rawValue, $0, nil) }
        for (caller, role, lab) in callers {
            let user = try access.createUser(name: caller, role: role, labCode: lab)
            tokens[caller] = try access.issueToken(userID: user.id).secret
        }
        self.tokens = tokens
        var config = ServerConfiguration()
        config.databasePath = database.path
        config.rateLimitPerSecond = 0
        // Eight ministry views rendered at every start would slow every test; RenderedAheadTests turn it on.
        config.renderAhead = false
        configure(&config)
        app = try DrugCheckApp(configuration: config, database: database)
    }

    /// Findings in a comma-separated example, counted independently of the importer: data rows
    /// that name a substance (a row with an empty substance records a sample with nothing found).
    static func findingRows(_ url: URL) throws -> Int {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let substance = lines[0].firstIndex(of: "substance")!
        return lines.dropFirst().filter { !$0[substance].isEmpty }.count
    }

    static func bytes(_ url: URL) throws -> ByteBuffer {
        ByteBuffer(bytes: try Data(contentsOf: url))
    }

    func headers(_ caller: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = extra
        if let caller, let token = tokens[caller] { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await app.application.test(.router, body)
    }
}

extension TestResponse {
    var text: String { body.getString(at: body.readerIndex, length: body.readableBytes) ?? "" }

    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    /// The members of an RFC 9457 problem document, after checking its media type.
    func problem() throws -> [String: Any] {
        #expect(headers[.contentType] == "application/problem+json")
        return try #require(json() as? [String: Any])
    }
}
