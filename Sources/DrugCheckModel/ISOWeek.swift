/// An ISO 8601 week: Monday to Sunday, numbered in the week-based year that holds its Thursday.
///
/// ```swift
/// ISOWeek(containing: CalendarDate(year: 2027, month: 1, day: 1)!) // 2026-W53
/// ISOWeek("2026-W47")!.monday // 2026-11-16
/// ```
public struct ISOWeek: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, LosslessStringConvertible {
    public let year: Int
    public let week: Int

    /// Years 1000–9999, as ISO 8601 writes them with four digits (a week's lookback may still
    /// reach earlier years: ``adding(weeks:)``).
    public init?(year: Int, week: Int) {
        guard (1000...9999).contains(year), week >= 1, week <= ISOWeek.weeksIn(year: year) else { return nil }
        self.year = year
        self.week = week
    }

    public init(containing date: CalendarDate) {
        let thursday = date.adding(days: 4 - date.isoWeekday)
        let jan1 = CalendarDate(year: thursday.year, month: 1, day: 1)!
        year = thursday.year
        week = (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
    }

    /// Parses `2026-W47` (also `2026W47`, `2026-w47`).
    public init?(_ text: String) {
        let upper = text.uppercased().filter { $0 != "-" }
        let parts = upper.split(separator: "W")
        guard parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
              let y = Int(parts[0]), let w = Int(parts[1]) else { return nil }
        self.init(year: y, week: w)
    }

    /// 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday.
    public static func weeksIn(year: Int) -> Int {
        guard let dec28 = CalendarDate(year: year, month: 12, day: 28) else { return 52 }
        return ISOWeek(containing: dec28).week
    }

    public var monday: CalendarDate {
        let jan4 = CalendarDate(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    public var sunday: CalendarDate { monday.adding(days: 6) }

    public func adding(weeks: Int) -> ISOWeek { ISOWeek(containing: monday.adding(days: 7 * weeks)) }

    /// Whole weeks from `self` to `other`.
    public func distance(to other: ISOWeek) -> Int { (other.monday.daysSinceEpoch - monday.daysSinceEpoch) / 7 }

    /// `2026-W47`: the year with four digits, the week with two.
    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-W\(week < 10 ? "0" : "")\(week)"
    }

    public static func < (l: Self, r: Self) -> Bool { (l.year, l.week) < (r.year, r.week) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let w = ISOWeek(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO week: \(text)"))
        }
        self = w
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
