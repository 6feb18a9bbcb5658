import Foundation
import Testing

/// The R-generated reference outputs in Fixtures/signals (see make_fixtures.R there).
struct SignalFixture: Decodable {
    struct MethodOutput: Decodable {
        var upperbound: [Double?]
        var alarm: [Bool?]
        var cusum: [Double?]?
    }

    var name: String
    var source: String
    var weeks: [String]
    var observed: [Double]
    var methods: [String: MethodOutput]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/signals")

    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("expected").path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ name: String) throws -> SignalFixture {
        let url = directory.appendingPathComponent("expected/\(name).json")
        return try JSONDecoder().decode(SignalFixture.self, from: Data(contentsOf: url))
    }
}

/// Absolute difference within 1e-9, NA (nil) only where R has NA.
func expectMatchesR(_ actual: [Double?], _ expected: [Double?], _ label: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): length", sourceLocation: sourceLocation)
    for (week, (a, e)) in zip(actual, expected).enumerated() {
        switch (a, e) {
        case (nil, nil): continue
        case let (a?, e?):
            #expect(abs(a - e) <= 1e-9, "\(label) week \(week + 1): \(a) vs R \(e)", sourceLocation: sourceLocation)
        default:
            Issue.record("\(label) week \(week + 1): \(String(describing: a)) vs R \(String(describing: e))",
                         sourceLocation: sourceLocation)
        }
    }
}
