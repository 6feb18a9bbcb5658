import Foundation

/// Writes CSV that is safe to open in a spreadsheet.
///
/// Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
/// carriage return) are prefixed with a single quote, as OWASP's "CSV Injection" page advises;
/// numbers such as `-0.05` are left as numbers. Fields are quoted per RFC 4180 when needed.
///
/// ```swift
/// var csv = SpreadsheetSafeCSV(separator: ";", decimalComma: true)
/// csv.row(["=HYPERLINK(\"x\")", -0.05]) // "'=HYPERLINK(""x"")";-0,05
/// ```
public struct SpreadsheetSafeCSV: Sendable {
    public var separator: Character
    public var decimalComma: Bool
    public var byteOrderMark: Bool
    public private(set) var text = ""

    public init(separator: Character = ",", decimalComma: Bool = false, byteOrderMark: Bool = false) {
        self.separator = separator
        self.decimalComma = decimalComma
        self.byteOrderMark = byteOrderMark
        if byteOrderMark { text = "\u{FEFF}" }
    }

    /// A cell value: text, a number, or nothing.
    public enum Cell: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
        case text(String), integer(Int), number(Double), empty

        public init(stringLiteral value: String) { self = .text(value) }
        public init(integerLiteral value: Int) { self = .integer(value) }
        public init(floatLiteral value: Double) { self = .number(value) }
    }

    public mutating func row(_ cells: [Cell]) {
        text += cells.map(render).joined(separator: String(separator)) + "\r\n"
    }

    func render(_ cell: Cell) -> String {
        switch cell {
        case .empty: return ""
        case .integer(let i): return String(i)
        case .number(let d):
            let s = Self.format(d)
            return decimalComma ? s.replacingOccurrences(of: ".", with: ",") : s
        case .text(let t): return quote(Self.neutralise(t))
        }
    }

    /// Shortest round-trip decimal text, never exponent notation for report-sized values.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return "" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func neutralise(_ text: String) -> String {
        guard let first = text.first, formulaStarts.contains(first) else { return text }
        return "'" + text
    }

    func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "'" && s.first == "'" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
