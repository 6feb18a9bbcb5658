import DrugCheckServer
import DrugCheckStore
import Foundation
import Testing

/// `Schemas/openapi.yaml` and the routes the server registers agree: the same operations, the
/// same roles (`x-drugcheck-roles`), and every path parameter declared.
@Suite struct OpenAPIContractTests {
    struct Operation: Hashable {
        var method: String
        var path: String
        var roles: Set<String>
    }

    /// Reads the operations from the spec's layout (two-space indents: path, method, members).
    static func operations(in yaml: String) -> [Operation] {
        var operations: [Operation] = []
        var inPaths = false
        var path: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:" ; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                operations.append(Operation(method: line.trimmingCharacters(in: .whitespaces).dropLast().uppercased(), path: path, roles: []))
            } else if line.hasPrefix("      x-drugcheck-roles:"), !operations.isEmpty {
                let list = line.split(separator: "[").last?.split(separator: "]").first ?? ""
                operations[operations.count - 1].roles = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
        return operations
    }

    @Test func specAndRegisteredRoutesAgree() throws {
        let url = ServerFixture.packageRoot.appendingPathComponent("Schemas/openapi.yaml")
        let yaml = try String(contentsOf: url, encoding: .utf8)
        #expect(yaml.hasPrefix("openapi: 3.1."))
        let specified = Set(Self.operations(in: yaml))
        let f = try ServerFixture()
        let registered = Set(f.app.routes.map { Operation(method: $0.method, path: $0.path, roles: Set($0.roles.map(\.rawValue))) })
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(specified).isEmpty, "registered but not in the spec (or other roles): \(registered.subtracting(specified))")
        #expect(specified.subtracting(registered).isEmpty, "in the spec but not registered (or other roles): \(specified.subtracting(registered))")
    }

    @Test func everyPathParameterIsDeclared() throws {
        let yaml = try String(contentsOf: ServerFixture.packageRoot.appendingPathComponent("Schemas/openapi.yaml"), encoding: .utf8)
        let f = try ServerFixture()
        for route in f.app.routes {
            let names = route.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            // The operation's block runs from its path line to the next path line.
            let start = try #require(yaml.range(of: "\n  \(route.path):\n"))
            let rest = yaml[start.upperBound...]
            let block = rest.range(of: "\n  /").map { rest[..<$0.lowerBound] } ?? rest
            for name in names {
                let declared = block.contains("name: \(name)\n") || (name == "id" && block.contains("#/components/parameters/NumericID"))
                #expect(declared, "\(route): path parameter \(name) not declared")
            }
        }
    }
}
