import DrugCheckModel
import Testing

@Suite("ISO 8601 weeks")
struct ISOWeekTests {
    func date(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test("week-year boundaries", arguments: [
        ("2025-12-29", "2026-W01"), ("2027-01-01", "2026-W53"), ("2027-01-04", "2027-W01"),
        ("2026-01-01", "2026-W01"), ("2021-01-03", "2020-W53"), ("2024-12-30", "2025-W01"),
        ("2026-11-16", "2026-W47"), ("2026-11-22", "2026-W47"), ("2026-11-23", "2026-W48"),
        ("2008-12-29", "2009-W01"), ("2010-01-03", "2009-W53"),
    ])
    func boundaries(day: String, week: String) {
        #expect(ISOWeek(containing: date(day)).description == week)
    }

    @Test func weeksPerYear() {
        // Years with 53 weeks start on a Thursday, or are leap years starting on a Wednesday.
        #expect(ISOWeek.weeksIn(year: 2026) == 53)
        #expect(ISOWeek.weeksIn(year: 2020) == 53)
        #expect(ISOWeek.weeksIn(year: 2025) == 52)
        #expect(ISOWeek.weeksIn(year: 2027) == 52)
        #expect(ISOWeek(year: 2025, week: 53) == nil)
    }

    @Test func mondayAndArithmetic() throws {
        let w = try #require(ISOWeek("2026-W47"))
        #expect(w.monday == date("2026-11-16"))
        #expect(w.sunday == date("2026-11-22"))
        #expect(w.adding(weeks: 7).description == "2027-W01")
        #expect(w.adding(weeks: -47).description == "2025-W52")
        #expect(w.distance(to: ISOWeek("2027-W02")!) == 8)
        #expect(ISOWeek("2026w5")?.description == "2026-W05")
        #expect(ISOWeek("2026-W54") == nil)
        #expect(ISOWeek("W47") == nil)
    }

    /// Years have four digits (found by API fuzzing: year 0 crashed a report, a lookback before
    /// the year 1000 printed "999-W42").
    @Test func fourDigitYears() throws {
        #expect(ISOWeek("0000-W01") == nil && ISOWeek("0999-W10") == nil && ISOWeek(year: 10_000, week: 1) == nil)
        let first = try #require(ISOWeek("1000-W01"))
        let before = first.adding(weeks: -11)
        #expect(before.year == 999 && before.description == "0999-W42")
        #expect(first.adding(weeks: -11).adding(weeks: 11) == first)
    }

    @Test func everyDayOfFourHundredYearsRoundTrips() {
        var previous = ISOWeek(containing: date("2000-01-01"))
        var day = date("2000-01-02")
        // Weeks never go backwards and change exactly on Mondays over a full Gregorian cycle.
        for _ in 0..<146_097 {
            let week = ISOWeek(containing: day)
            #expect((week != previous) == (day.isoWeekday == 1))
            #expect(week >= previous)
            #expect(CalendarDate(daysSinceEpoch: day.daysSinceEpoch) == day)
            previous = week
            day = day.adding(days: 1)
        }
    }

    @Test func calendarDates() {
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(date("1970-01-01").daysSinceEpoch == 0)
        #expect(date("1970-01-01").isoWeekday == 4)
        #expect(date("2026-11-22T10:00:00Z").description == "2026-11-22")
    }
}
