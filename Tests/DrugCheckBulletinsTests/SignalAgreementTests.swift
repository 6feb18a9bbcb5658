@testable import DrugCheckBulletins
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import XCTest

/// The statistical-signal trigger says exactly what the weekly report's alarms say: on real
/// weekly series (British Columbia fentanyl checks in Surrey and Vancouver, 2018–2020), for
/// every method and each of the last 20 weeks, the trigger's events are the report's alarm rows.
final class SignalAgreementTests: XCTestCase {
    typealias R = TestDatabase
    static let series = R.packageRoot.appendingPathComponent("Tests/DrugCheckReportsTests/Fixtures/signals/series")
    static let weeks = 30

    /// The last `weeks` weeks of both regions' series as fentanyl-positive samples, plus samples
    /// with no region (national only) and an amphetamine negative every week.
    private func database() throws -> (TestDatabase, [ISOWeek]) {
        let t = try TestDatabase()
        var rows: [String] = []
        var weeks: [ISOWeek] = []
        for region in ["surrey", "vancouver"] {
            let series = try WeeklySeries(contentsOf: Self.series.appendingPathComponent("bc_fentanyl_\(region).csv"))
            for (k, (label, count)) in zip(series.weeks, series.counts).suffix(Self.weeks).enumerated() {
                let week = try XCTUnwrap(ISOWeek(label))
                weeks.append(week)
                for j in 0..<Int(count) {
                    rows.append(R.row("\(region)-\(label)-\(j)", "powder", soldAs: "heroin", date: week.monday.adding(days: j % 7).description,
                                      region: region.uppercased(), substance: "fentanyl"))
                }
                for j in 0..<(k % 4 == 3 ? 9 : k % 2) {
                    rows.append(R.row("none-\(region)-\(label)-\(j)", "powder", date: week.monday.description, region: "", substance: "fentanyl"))
                }
                rows.append(R.row("neg-\(region)-\(label)", "powder", soldAs: "speed", date: week.monday.description, substance: "amphetamine"))
            }
        }
        try t.importRows(rows)
        return (t, Array(Set(weeks)).sorted())
    }

    /// One alarm as `class|region|week|observed|upperbound`.
    private func key(_ c: ReportClass, _ region: String, _ week: ISOWeek, _ observed: Double, _ bound: Double?) -> String {
        "\(c.rawValue)|\(region)|\(week)|\(observed)|\(bound.map { "\($0)" } ?? "-")"
    }

    func testSignalEventsAreTheReportsAlarmsForEveryMethod() throws {
        let (t, weeks) = try database()
        let recent = Array(weeks.suffix(20))
        let samples = try EvidenceSample.load(from: t.database, catalogue: .bundled, since: weeks[0].monday)
        let builder = WeeklyReportBuilder(database: t.database)
        let reports = try recent.map { try builder.report(for: $0) }
        var total = 0
        for method in SignalMethod.allCases {
            var config = BulletinConfiguration.Signal()
            config.method = method.rawValue
            config.classes = ReportClass.allCases
            config.recentWeeks = recent.count
            let events = try SignalTrigger(configuration: config, reports: ReportAggregateReader(database: t.database)).events(samples)
            let fromTrigger = events.map { e in
                key(e.signal!.reportClass, e.signal!.region ?? WeeklyReport.all, e.signal!.week, e.signal!.observed, e.signal!.upperbound)
            }
            var fromReport: [String] = []
            for report in reports {
                for alarm in report.alarms where alarm.methods.contains(method) && alarm.region != WeeklyReport.unknownRegion {
                    let cell = try XCTUnwrap(report.cell(alarm.reportClass, region: alarm.region))
                    let outcome = try XCTUnwrap(cell.signals)
                    let bound = [outcome.earsC1, outcome.earsC2, outcome.earsC3, outcome.cusum][SignalMethod.allCases.firstIndex(of: method)!].upperbound
                    fromReport.append(key(alarm.reportClass, alarm.region, report.week, Double(alarm.observed), bound))
                }
            }
            XCTAssertEqual(fromTrigger.sorted(), fromReport.sorted(), "\(method.rawValue)")
            for e in events { XCTAssertEqual(Double(e.samples.count), e.signal!.observed, "the event holds the week's positive samples") }
            total += fromReport.count
        }
        XCTAssertGreaterThan(total, 0, "the BC series alarm in the last 20 weeks")
    }

    func testNoRegionMeansNationalOnly() throws {
        let (t, weeks) = try database()
        let samples = try EvidenceSample.load(from: t.database, catalogue: .bundled, since: weeks[0].monday)
        var config = BulletinConfiguration.Signal()
        config.classes = ReportClass.allCases
        config.recentWeeks = 20
        for method in SignalMethod.allCases {
            config.method = method.rawValue
            let events = try SignalTrigger(configuration: config, reports: ReportAggregateReader(database: t.database)).events(samples)
            XCTAssertFalse(events.contains { $0.signal?.region == WeeklyReport.unknownRegion || $0.signal?.region == "" })
            config.perRegion = false
            XCTAssertTrue(try SignalTrigger(configuration: config, reports: ReportAggregateReader(database: t.database)).events(samples).allSatisfy { $0.signal?.region == nil })
            config.perRegion = true
        }
    }
}
