/// How a CSV file is written: separator and decimal mark. Sniffed from the header and first rows.
///
/// ```swift
/// CSVDialect.sniff("a;b\n1,5;2\n") // separator ";", decimal comma
/// ```
public struct CSVDialect: Equatable, Sendable, CustomStringConvertible {
    public var separator: Character
    public var decimalComma: Bool

    public init(separator: Character, decimalComma: Bool) {
        self.separator = separator
        self.decimalComma = decimalComma
    }

    public static let candidates: [Character] = [",", ";", "\t"]

    /// The separator is the candidate that appears most often, outside quotes, on the header line and
    /// the same number of times on the next lines; the decimal comma is assumed when the separator
    /// is not a comma and a field looks like `12,5`.
    public static func sniff(_ text: String, sampleLines: Int = 20) -> CSVDialect {
        let lines = unquotedLines(text, limit: sampleLines)
        guard let header = lines.first else { return CSVDialect(separator: ",", decimalComma: false) }
        let scored = candidates.map { sep -> (Character, Int, Bool) in
            let count = header.filter { $0 == sep }.count
            let consistent = lines.dropFirst().allSatisfy { $0.filter { $0 == sep }.count == count }
            return (sep, count, consistent)
        }
        // Prefer a separator used the same number of times on every sampled line, then the most used.
        let best = scored.filter { $0.1 > 0 }.max { a, b in (a.2 ? 1 : 0, a.1) < (b.2 ? 1 : 0, b.1) }
        let separator = best?.0 ?? ","
        let decimalComma = separator != "," && lines.dropFirst().contains { line in
            line.split(separator: separator).contains { isDecimalCommaNumber($0.trimmingCharacters(in: .whitespaces)) }
        }
        return CSVDialect(separator: separator, decimalComma: decimalComma)
    }

    /// `12,5` or `-0,05` (digits, one comma, digits).
    static func isDecimalCommaNumber(_ s: String) -> Bool {
        let body = s.hasPrefix("-") ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// The first lines of text with quoted sections blanked out, so separators inside quotes do not count.
    static func unquotedLines(_ text: String, limit: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var inQuotes = false
        for ch in text {
            if ch == "\"" { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if ch == "\n" || ch == "\r\n" || ch == "\r" {
                if !current.isEmpty { lines.append(current) }
                current = ""
                if lines.count >= limit { break }
            } else {
                current.append(ch)
            }
        }
        if !current.isEmpty, lines.count < limit { lines.append(current) }
        return lines
    }

    public var description: String {
        let sep = separator == "\t" ? "tab" : "'\(separator)'"
        return "separator \(sep), decimal \(decimalComma ? "comma" : "point")"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
