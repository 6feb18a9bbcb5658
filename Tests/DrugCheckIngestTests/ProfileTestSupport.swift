import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// Refdata files read in place (tests fail when one is missing) and variants written beside them.
enum ProfileFixtures {
    static func refdata(_ relative: String) throws -> URL { try XMLTestPaths.refdataFile(relative) }

    static func lines(_ relative: String) throws -> [String] {
        String(decoding: try Data(contentsOf: refdata(relative)), as: UTF8.self)
            .components(separatedBy: .newlines).filter { !$0.isEmpty }
    }

    /// Writes a variant of a real file to a temporary folder.
    static func variant(_ text: String, named name: String, encoding: String.Encoding = .utf8, bom: [UInt8] = []) throws -> URL {
        let url = try XMLTestPaths.temporaryDirectory().appendingPathComponent(name)
        guard let body = text.data(using: encoding) else { throw ImportRejection("text not encodable") }
        try (Data(bom) + body).write(to: url)
        return url
    }

    static func inspect(_ url: URL, profile: String? = nil, sample: String? = nil) throws -> ProfileExtraction {
        try LabExportReader.inspect(file: url, options: ImportOptions(sampleID: sample, profile: profile))
    }

    /// Splits one CSV line on commas outside double quotes, quotes removed (the tests' own parse).
    static func cells(_ line: String, separator: Character = ",") -> [String] {
        var cells: [String] = [], current = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() } else if ch == separator && !quoted { cells.append(current); current = "" } else { current.append(ch) }
        }
        return cells + [current]
    }

    static func counts(_ findings: [ProfileFinding], technique: String? = nil) -> [String: Int] {
        findings.filter { $0.detected && (technique == nil || $0.technique == technique) }.reduce(into: [:]) { $0[$1.substance, default: 0] += 1 }
    }
}
