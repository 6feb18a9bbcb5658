import DrugCheckModel
import DrugCheckReports
import Foundation
import Testing

/// `WeeklyReportBuilder.signalSeries` is what the report's cells run their signals on (the
/// bulletins' signal trigger reads it, so the two cannot drift apart).
@Suite struct SignalSeriesTests {
    @Test func seriesAreTheReportCellsSignals() throws {
        let db = try ReportTestDatabase.withExamples()
        let builder = WeeklyReportBuilder(database: db.database)
        for (week, trendWeeks) in [("2026-W40", 12), ("2026-W44", 20)] {
            let report = try db.report(week, trendWeeks: trendWeeks)
            let series = try builder.signalSeries(for: ISOWeek(week)!, trendWeeks: trendWeeks)
            let withSignals = report.cells.filter { $0.signals != nil }
            #expect(series.count == withSignals.count)
            for s in series {
                #expect(s.week.description == week)
                #expect(s.weeks.count == max(trendWeeks, WeeklyReportBuilder.minimumSignalWeeks))
                let region = s.region
                let cell = try #require(report.cell(s.reportClass, region: region))
                #expect(cell.signals == s.signals, "\(s.reportClass.rawValue) \(region)")
                #expect(s.counts.last == Double(cell.positive))
                let alarm = report.alarms.first { $0.reportClass == s.reportClass && $0.region == region }
                #expect((alarm?.methods ?? []) == SignalMethod.allCases.filter { s.point($0)?.alarm == true })
            }
        }
    }
}
