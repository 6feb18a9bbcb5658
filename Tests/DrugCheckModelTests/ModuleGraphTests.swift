import Foundation
import Testing

/// The stages' import rules, checked on the sources and on Package.swift: data flows
/// Ingest → Classify → Store → Reports → Bulletins, the import stage composes Ingest, Classify and
/// Store, and only the shells (server, CLI) may import anything.
@Suite("Module graph")
struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Modules each target may import; our own modules among them must be exactly its package dependencies.
    static let allowed: [String: Set<String>] = [
        "DrugCheckModel": [],
        "DrugCheckIngest": ["DrugCheckModel", "CLibXML2", "CZlib", "Crypto"],
        "DrugCheckClassify": ["DrugCheckModel"],
        "DrugCheckStore": ["DrugCheckModel", "GRDB", "GRDBSQLite", "Crypto"],
        // Reports read the store's tables only through its API (`ReportAggregateReader`).
        "DrugCheckReports": ["DrugCheckModel", "DrugCheckClassify", "DrugCheckStore"],
        "DrugCheckBulletins": ["DrugCheckModel", "DrugCheckClassify", "DrugCheckStore", "DrugCheckReports", "GRDB",
                               "Mustache", "Crypto", "AsyncHTTPClient", "Logging"],
        // Who may do what: labs, users, tokens, web sessions, over the store's database.
        "DrugCheckAccess": ["DrugCheckModel", "DrugCheckStore", "GRDB", "Crypto"],
        "DrugCheckImport": ["DrugCheckModel", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckStore", "GRDB", "Crypto"],
        // The PostgreSQL backend: beside the store, on its API (no GRDB, no file formats).
        "DrugCheckPostgres": ["DrugCheckModel", "DrugCheckStore", "PostgresNIO", "NIOCore", "NIOPosix", "NIOConcurrencyHelpers", "NIOSSL",
                              "Logging"],
    ]
    /// The shells: any module.
    static let shells: Set<String> = ["DrugCheckServer", "drugcheck"]
    static let system: Set<String> = ["Foundation", "Dispatch", "Synchronization"]
    static let systemLibraries: Set<String> = ["CLibXML2", "CZlib"]
    static let ownModules = Set(["DrugCheckModel", "DrugCheckIngest", "DrugCheckClassify", "DrugCheckStore", "DrugCheckAccess",
                                 "DrugCheckReports", "DrugCheckBulletins", "DrugCheckImport", "DrugCheckPostgres"]).union(systemLibraries)

    struct Import { let file: String; let line: Int; let module: String; let exported: Bool }

    static func imports(in target: String) throws -> [Import] {
        let dir = root.appendingPathComponent("Sources/\(target)")
        let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        let pattern = try Regex(#"^\s*((?:@\w+\s+)*)import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?(\w+)"#)
        var result: [Import] = []
        for url in files where url.pathExtension == "swift" {
            let path = String(url.path.dropFirst(root.path.count + 1))
            for (n, text) in try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n").enumerated() {
                guard let m = try pattern.firstMatch(in: text) else { continue }
                result.append(Import(file: path, line: n + 1, module: String(m.output[2].substring ?? ""),
                                     exported: m.output[1].substring?.contains("@_exported") ?? false))
            }
        }
        return result
    }

    static var targets: [String] {
        get throws {
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path).filter { !$0.hasPrefix(".") }.sorted()
        }
    }

    @Test func noModuleReExportsAnother() throws {
        let exported = try Self.targets.flatMap(Self.imports).filter(\.exported)
        #expect(exported.isEmpty, "@_exported import: \(exported.map { "\($0.file):\($0.line) \($0.module)" })")
    }

    @Test func everyStageImportsOnlyEarlierStages() throws {
        for target in try Self.targets where !Self.shells.contains(target) && !Self.systemLibraries.contains(target) {
            let allowed = try #require(Self.allowed[target], "\(target) is not in the module table of ModuleGraphTests")
            for i in try Self.imports(in: target) where !Self.system.contains(i.module) && !allowed.contains(i.module) {
                Issue.record("\(i.file):\(i.line) imports \(i.module), which \(target) must not import")
            }
        }
    }

    @Test func packageDependenciesStateTheGraph() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let declared = try Self.ownDependencies(manifest)
        for (target, allowed) in Self.allowed {
            var expected = allowed.intersection(Self.ownModules)
            #expect(declared[target] == expected, "Package.swift dependencies of \(target)")
        }
    }

    /// Our own modules (plain string dependencies, not `.product`) each non-test target lists in Package.swift.
    static func ownDependencies(_ manifest: String) throws -> [String: Set<String>] {
        let declaration = try Regex(#"\.(target|executableTarget|testTarget|systemLibrary)\("#)
        let product = try Regex(#"\.product\([^)]*\)"#)
        let quoted = try Regex(#""([^"]+)""#)
        let starts = manifest.matches(of: declaration)
        var result: [String: Set<String>] = [:]
        for (n, start) in starts.enumerated() where ["target", "executableTarget"].contains(start.output[1].substring ?? "") {
            let body = manifest[start.range.upperBound..<(n + 1 < starts.count ? starts[n + 1].range.lowerBound : manifest.endIndex)]
            guard let name = body.firstMatch(of: quoted)?.output[1].substring.map(String.init) else { continue }
            guard let list = body.range(of: "dependencies: [") else { result[name] = []; continue }
            let dependencies = body[list.upperBound...].prefix { $0 != "]" }.replacing(product, with: "")
            result[name] = Set(dependencies.matches(of: quoted).compactMap { $0.output[1].substring.map(String.init) })
        }
        return result
    }
}
