import Foundation

extension CalendarDate {
    /// The UTC date of the instant `now`: the one definition of "today" for reports, bulletins,
    /// the CLI and the server. Pass a fixed `now` in tests.
    ///
    /// ```swift
    /// CalendarDate.today(now: Date(timeIntervalSince1970: 0)) // 1970-01-01
    /// ```
    public static func today(now: Date = Date()) -> CalendarDate {
        // Days since 1970-01-01 counted in whole UTC days; floor keeps instants before 1970 on the right day.
        CalendarDate(daysSinceEpoch: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
