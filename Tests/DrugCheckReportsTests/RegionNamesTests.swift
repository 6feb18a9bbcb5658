import DrugCheckModel
import DrugCheckReports
import Foundation
import Testing

/// Reports stratify by NUTS code and name the region in the report's language.
@Suite("Region names in the weekly report")
struct RegionNamesTests {
    @Test func regionStrataCarryTheirNameInTheReportsLanguage() throws {
        let db = try ReportTestDatabase.withExamples()
        for (language, name) in [("en", "Liège"), ("nl", "Luik"), ("de", "Lüttich")] {
            let report = try WeeklyReportBuilder(database: db.database).report(for: ISOWeek("2026-W47")!, language: language)
            let cell = try #require(report.cells.first { $0.reportClass == .anySyntheticOpioid && $0.region == "BE33" })
            #expect(cell.regionName == name)
            #expect(try WeeklyReportRenderer.render(report, as: .table).contains("region=BE33 (\(name))"))
        }
        let unknown = try WeeklyReportBuilder(database: db.database).report(for: ISOWeek("2026-W47")!)
        #expect(unknown.cells.filter { $0.region == WeeklyReport.unknownRegion }.allSatisfy { $0.regionName == nil })
    }
}
