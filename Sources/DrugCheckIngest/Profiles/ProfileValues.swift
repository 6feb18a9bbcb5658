import DrugCheckModel
import Foundation

/// Reads a profile's cells: header names, numbers, dates and not-detected tokens, following the
/// conventions the profile states (decimal comma, thousands separators, day-first dates…).
///
/// ```swift
/// let values = ProfileValues(profile)
/// values.number("1.234,5")      // 1234.5 with decimal comma and "." thousands
/// values.date("15Oct2021")      // 2021-10-15
/// ```
public struct ProfileValues: Sendable {
    /// Nil: a number with one comma and no point (`7,738`) uses a decimal comma.
    let decimalComma: Bool?
    let thousands: String?
    let dateOrder: String
    let notDetectedTokens: Set<String>

    public static let defaultNotDetected = ["ND", "N.D.", "Not Identified", "Not Detected", "N/F", "-----", "n/a"]

    public init(_ profile: ImportProfile) {
        decimalComma = profile.text?.decimalComma
        thousands = profile.text?.thousandsSeparator
        dateOrder = profile.text?.dateOrder ?? "dmy"
        notDetectedTokens = Set((profile.notDetected ?? Self.defaultNotDetected).map { $0.trimmed.lowercased() } + [""])
    }

    /// A header name as compared: lower case, letters, digits, `%` and `#` only (`Ret. Time` → `rettime`).
    public static func key(_ header: String) -> String {
        String(header.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "%" || $0 == "#" })
    }

    public func isNotDetected(_ text: String) -> Bool { notDetectedTokens.contains(text.trimmed.lowercased()) }

    /// A number, with the profile's decimal mark and thousands separator; a trailing unit (`119,5 %`)
    /// is ignored. Nil for text that is no number.
    public func number(_ text: String) -> Double? {
        var t = text.trimmed
        if let thousands, !thousands.isEmpty { t = t.replacingOccurrences(of: thousands, with: "") }
        let lonelyComma = !t.contains(".") && t.filter { $0 == "," }.count == 1
        if decimalComma ?? lonelyComma { t = t.replacingOccurrences(of: ",", with: ".") }
        let numeric = t.prefix { $0.isNumber || "+-.eE".contains($0) }
        guard !numeric.isEmpty, t.dropFirst(numeric.count).allSatisfy({ !$0.isNumber }),
              let value = Double(numeric), value.isFinite else { return nil }
        return value
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// A calendar date: ISO `2021-10-15`, month names (`15Oct2021`, `15-Oct-2021`, `Oct 15, 2021`),
    /// or numeric in the profile's day/month/year order; a time after the date is ignored.
    public func date(_ text: String) -> CalendarDate? {
        let t = text.trimmed
        if let iso = CalendarDate(iso: t) { return iso }
        let tokens = t.split(separator: " ")
        if t.contains(where: \.isLetter), let named = monthNameDate(tokens.prefix(3).joined(separator: " ")) { return named }
        let parts = (tokens.first ?? "").split(whereSeparator: { "/.-".contains($0) }).compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let (d, m, y): (Int, Int, Int) = switch dateOrder {
        case "mdy": (parts[1], parts[0], parts[2])
        case "ymd": (parts[2], parts[1], parts[0])
        default: (parts[0], parts[1], parts[2])
        }
        return CalendarDate(year: y < 100 ? 2000 + y : y, month: m, day: d)
    }

    /// `15Oct2021`, `15-Oct-2021`, `15 October 2021`, `Oct 15, 2021`.
    func monthNameDate(_ text: String) -> CalendarDate? {
        var groups: [String] = []
        for ch in text.lowercased() {
            let kind = ch.isNumber ? "0" : ch.isLetter ? "a" : " "
            if kind == " " { groups.append(""); continue }
            if let last = groups.last, let first = last.first, (first.isNumber ? "0" : "a") == kind {
                groups[groups.count - 1].append(ch)
            } else {
                groups.append(String(ch))
            }
        }
        groups.removeAll(where: \.isEmpty)
        guard groups.count == 3, let monthIndex = groups.firstIndex(where: { $0.first?.isLetter == true }),
              let month = Self.months.firstIndex(of: String(groups[monthIndex].prefix(3))) else { return nil }
        let numbers = groups.enumerated().filter { $0.offset != monthIndex }.compactMap { Int($0.element) }
        guard numbers.count == 2 else { return nil }
        let (day, year) = numbers[0] > 31 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        return CalendarDate(year: year, month: month + 1, day: day)
    }
}
