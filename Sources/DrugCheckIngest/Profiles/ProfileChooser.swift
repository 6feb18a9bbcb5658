import Foundation

/// Chooses the profile for a lab export from its structure: each profile's fingerprint (marker
/// lines, header names that must be there, names that must not) is scored against the cells of
/// the file's first records. A file no profile fits is rejected naming the headers it has, the
/// nearest profile and what differs.
///
/// ```swift
/// let choice = try ProfileChooser(library: library).choose(for: document, named: nil)
/// print(choice.profile.name, choice.reason)
/// ```
public struct ProfileChooser: Sendable {
    public let library: ProfileLibrary
    /// How many leading records the fingerprint looks at.
    public static let headRecords = 200

    public init(library: ProfileLibrary) { self.library = library }

    /// How well one profile's fingerprint fits a file.
    public struct Match: Sendable {
        public var profile: ImportProfile
        /// The file split on the separator that fits best: the profile's, else the one sniffed
        /// (an export from another locale may use `;`).
        public var document: ProfileDocument
        public var found: [String]
        public var missing: [String]
        /// Names the fingerprint says must be absent but that are there.
        public var unexpected: [String]
        public var fits: Bool { missing.isEmpty && unexpected.isEmpty }
        public var score: Double { Double(found.count) / Double(max(1, found.count + missing.count + unexpected.count)) }
    }

    public func choose(for document: ProfileDocument, named name: String?) throws -> (match: Match, reason: String) {
        if let name { return (match(try library.profile(named: name), document), "chosen with --profile \(name)") }
        let matches = library.profiles.map { match($0, document) }
        if let best = matches.filter(\.fits).max(by: { $0.found.count < $1.found.count }) {
            return (best, "the file has \(best.found.map { "'\($0)'" }.joined(separator: ", "))")
        }
        throw unknownLayout(document, nearest: matches.max { $0.score < $1.score })
    }

    /// The fingerprint's items found and missing, with the file split on the profile's separator
    /// and on the sniffed one; the better wins. A split that fails (a quote in the wrong place)
    /// finds nothing.
    public func match(_ profile: ImportProfile, _ document: ProfileDocument) -> Match {
        let preferred = profile.text?.separator.flatMap(\.first).flatMap { try? document.splitting(on: $0) }
        let candidates = [preferred, document].compactMap { $0 }.map { evaluate(profile, $0) }
        return candidates.first { $0.fits } ?? candidates.max { $0.score < $1.score }!
    }

    func evaluate(_ profile: ImportProfile, _ document: ProfileDocument) -> Match {
        let cells = document.records.prefix(Self.headRecords).flatMap { $0.map { $0.value.trimmed } }
        let lowered = Set(cells.map { $0.lowercased() })
        let keys = Set(cells.map(ProfileValues.key))
        var match = Match(profile: profile, document: document, found: [], missing: [], unexpected: [])
        for marker in profile.fingerprint.markers ?? [] {
            if lowered.contains(marker.lowercased()) { match.found.append(marker) } else { match.missing.append(marker) }
        }
        for header in profile.fingerprint.headers {
            if keys.contains(ProfileValues.key(header)) { match.found.append(header) } else { match.missing.append(header) }
        }
        match.unexpected = (profile.fingerprint.absent ?? []).filter { keys.contains(ProfileValues.key($0)) }
        return match
    }

    func unknownLayout(_ document: ProfileDocument, nearest: Match?) -> ImportRejection {
        let head = document.records.prefix(Self.headRecords)
        let widest = head.max { a, b in Self.labelCount(a) < Self.labelCount(b) }
        let line = widest?.first?.line ?? 1
        let headers = (widest ?? []).map { $0.value.trimmed }.filter { !$0.isEmpty }
        var message = "this file's layout matches no import profile. Headers found (line \(line)): \(headers.prefix(30).joined(separator: ", "))"
        if headers.count > 30 { message += " … (\(headers.count) in all)" }
        if let nearest {
            message += ". Nearest profile: \(nearest.profile.name) (\(nearest.profile.vendor))"
            if !nearest.missing.isEmpty { message += ", which expects \(nearest.missing.map { "'\($0)'" }.joined(separator: ", ")) not found here" }
            if !nearest.unexpected.isEmpty { message += ", and expects no \(nearest.unexpected.map { "'\($0)'" }.joined(separator: ", "))" }
        }
        message += ". Name a profile with --profile NAME, or describe this format in a profile of your own "
            + "(Schemas/import-profiles/README.md) and give its folder with --profiles DIR"
        return ImportRejection(line: line, column: 1, message)
    }

    /// Cells that look like header names (text, not numbers or dates).
    static func labelCount(_ record: [CSVField]) -> Int {
        record.filter { field in
            let v = field.value.trimmed
            return !v.isEmpty && v.contains(where: \.isLetter) && Double(v) == nil
        }.count
    }
}
