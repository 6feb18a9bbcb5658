import DrugCheckModel
import Foundation

/// A weekly count series as analysts hand it to `drugcheck signals`: `week,count` rows.
///
/// The header row is required (`week,count` or `week;count`, any case; a UTF-8 BOM is
/// ignored). Weeks are labels, in file order; when every label is an ISO week (`2026-W01`)
/// they must also be consecutive, because the methods treat the rows as adjacent weeks.
///
/// ```swift
/// let series = try WeeklySeries(parsing: "week,count\n2026-W01,3\n2026-W02,5\n", file: "fent.csv")
/// series.counts // [3, 5]
/// ```
public struct WeeklySeries: Equatable, Sendable {
    public var weeks: [String]
    public var counts: [Double]

    public static let maxLineLength = 4096
    public static let maxRows = 1_000_000

    public init(weeks: [String], counts: [Double]) {
        precondition(weeks.count == counts.count, "one count per week")
        self.weeks = weeks
        self.counts = counts
    }

    /// Reads the file at `url`; errors name the file and line.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw WeeklySeriesError(file: url.path, line: nil, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WeeklySeriesError(file: url.path, line: nil, message: "expected UTF-8 text")
        }
        try self.init(parsing: text, file: url.path)
    }

    public init(parsing text: String, file: String) throws {
        func fail(_ line: Int, _ message: String) -> WeeklySeriesError {
            WeeklySeriesError(file: file, line: line, message: message)
        }
        var separator: Character?
        var weeks: [String] = []
        var counts: [Double] = []
        var rowLines: [Int] = []
        var seen: Set<String> = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            guard rawLine.utf8.count <= Self.maxLineLength else {
                throw fail(lineNumber, "line longer than \(Self.maxLineLength) bytes; expected `week,count`")
            }
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if lineNumber == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            guard let sep = separator else {
                separator = line.contains(";") ? ";" : ","
                let header = Self.fields(line, separator!)
                guard header.map({ $0?.lowercased() }) == ["week", "count"] else {
                    throw fail(lineNumber, "expected the header `week,count` (or `week;count`), found `\(line.prefix(80))`")
                }
                continue
            }
            let parsed = Self.fields(line, sep)
            guard parsed.allSatisfy({ $0 != nil }) else { throw fail(lineNumber, "unterminated quoted field") }
            let fields = parsed.map { $0! }
            guard fields.count == 2 else {
                throw fail(lineNumber, "expected 2 fields `week\(sep)count`, found \(fields.count)")
            }
            let week = fields[0]
            guard !week.isEmpty else { throw fail(lineNumber, "empty week label") }
            guard seen.insert(week).inserted else { throw fail(lineNumber, "week `\(week)` appears twice") }
            guard let count = Self.count(fields[1]) else {
                throw fail(lineNumber, "expected a non-negative count, found `\(fields[1].prefix(40))`")
            }
            guard weeks.count < Self.maxRows else { throw fail(lineNumber, "more than \(Self.maxRows) rows") }
            weeks.append(week)
            counts.append(count)
            rowLines.append(lineNumber)
        }
        guard separator != nil else { throw fail(max(lineNumber, 1), "empty file; expected the header `week,count`") }
        try Self.checkConsecutive(weeks, lines: rowLines, file: file)
        self.init(weeks: weeks, counts: counts)
    }

    /// Plain decimal numbers only: no sign, exponent, `nan` or `inf`.
    private static func count(_ field: String) -> Double? {
        guard !field.isEmpty, field.filter({ $0 == "." }).count <= 1,
              field.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(field), value.isFinite else { return nil }
        return value
    }

    /// Splits on `separator` outside double quotes; `""` inside quotes is a literal quote.
    /// A field whose quotes are not closed comes back as `nil`.
    private static func fields(_ line: Substring, _ separator: Character) -> [String?] {
        var result: [String?] = []
        var field = ""
        var quoted = false
        var wasQuoted = false
        var iterator = line.makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" { field.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"", field.allSatisfy(\.isWhitespace) {
                quoted = true
                wasQuoted = true
                field = ""
            } else if c == separator {
                result.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""
                wasQuoted = false
            } else {
                field.append(c)
            }
        }
        result.append(quoted ? nil : (wasQuoted ? field : field.trimmingCharacters(in: .whitespaces)))
        return result
    }

    /// When all labels are ISO weeks, a gap or reversal would silently shift every baseline.
    private static func checkConsecutive(_ weeks: [String], lines: [Int], file: String) throws {
        let parsed = weeks.compactMap { ISOWeek($0) }
        guard parsed.count == weeks.count else { return }
        for i in parsed.indices.dropFirst() where parsed[i - 1].adding(weeks: 1) != parsed[i] {
            throw WeeklySeriesError(
                file: file, line: lines[i],
                message: "expected \(parsed[i - 1].adding(weeks: 1)) after \(weeks[i - 1]), found \(weeks[i]) "
                    + "(ISO weeks must be consecutive; add missing weeks with count 0)")
        }
    }
}

/// A malformed weekly series file: which file, which line, what was expected.
public struct WeeklySeriesError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
