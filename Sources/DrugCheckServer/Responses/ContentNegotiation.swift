import Hummingbird

/// Picks a representation from a file extension on the last path segment (`2026-W47.csv`),
/// else from the `Accept` header (quality values honoured), else the first offered one.
///
/// ```swift
/// let (week, format) = try ContentNegotiation.choose(segment: "2026-W47.csv", accept: nil, offered: [.json, .csv])
/// ```
enum ContentNegotiation {
    enum Representation: String, CaseIterable, Sendable {
        case json, csv, html, cap

        var mediaType: String {
            switch self {
            case .json: return "application/json"
            case .csv: return "text/csv"
            case .html: return "text/html"
            case .cap: return "application/cap+xml"
            }
        }

        var contentType: String {
            self == .json || self == .cap ? mediaType : mediaType + "; charset=utf-8"
        }
    }

    static func notAcceptable(_ offered: [Representation]) -> Problem {
        Problem(status: .notAcceptable, title: "Not acceptable",
                detail: "available as \(offered.map(\.mediaType).joined(separator: ", ")) (or the extension \(offered.map { "." + $0.rawValue }.joined(separator: ", ")))")
    }

    /// The segment without its extension, and the chosen representation.
    static func choose(segment: String, accept: String?, offered: [Representation]) throws -> (String, Representation) {
        if let dot = segment.lastIndex(of: "."), let ext = Representation(rawValue: String(segment[segment.index(after: dot)...]).lowercased()) {
            guard offered.contains(ext) else { throw notAcceptable(offered) }
            return (String(segment[..<dot]), ext)
        }
        guard let accept, !accept.isEmpty else { return (segment, offered[0]) }
        let ranges = accept.split(separator: ",").compactMap { item -> (type: String, q: Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { return nil }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (type, q)
        }.filter { $0.q > 0 }
        for range in ranges.sorted(by: { $0.q > $1.q }) {
            if range.type == "*/*" { return (segment, offered[0]) }
            if let match = offered.first(where: { $0.mediaType == range.type || range.type == $0.mediaType.split(separator: "/")[0] + "/*" }) {
                return (segment, match)
            }
        }
        throw notAcceptable(offered)
    }
}
