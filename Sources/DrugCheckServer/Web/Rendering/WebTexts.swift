import Foundation

/// The words of every page in English, Dutch, French and German (`Templates/strings.json`: per
/// key the four texts side by side, so a missing translation shows in review; a test checks
/// every key has all four).
///
/// ```swift
/// let texts = try WebTexts.bundled()
/// texts.table(for: "nl")["login"]   // "Aanmelden"
/// ```
struct WebTexts: Sendable {
    static let languages = ["en", "nl", "fr", "de"]
    let tables: [String: [String: String]]

    static func bundled() throws -> WebTexts {
        guard let url = Bundle.module.url(forResource: "Templates/strings", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Templates/strings.json"])
        }
        let byKey = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: url))
        var tables: [String: [String: String]] = [:]
        for (key, texts) in byKey {
            for (language, text) in texts { tables[language, default: [:]][key] = text }
        }
        return WebTexts(tables: tables)
    }

    /// The table of a language, English words filling any gap.
    func table(for language: String) -> [String: String] {
        (tables["en"] ?? [:]).merging(tables[language] ?? [:]) { _, translated in translated }
    }

    func text(_ key: String, _ language: String) -> String {
        tables[language]?[key] ?? tables["en"]?[key] ?? key
    }

    /// The language to answer in: `?lang=`, then the session's or user's choice, then the
    /// browser's `Accept-Language` (RFC 9110 §12.5.4, by quality), then English.
    static func negotiate(query: String?, chosen: String?, acceptLanguage: String?) -> String {
        if let query, languages.contains(query) { return query }
        if let chosen, languages.contains(chosen) { return chosen }
        let ranked = (acceptLanguage ?? "").split(separator: ",").compactMap { item -> (String, Double)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first?.lowercased().split(separator: "-").first.map(String.init) else { return nil }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, q)
        }
        return ranked.filter { $0.1 > 0 && languages.contains($0.0) }.max { $0.1 < $1.1 }?.0 ?? "en"
    }
}
