import DrugCheckImport
import DrugCheckClassify
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

@Suite("Weekly report on the example exports")
struct WeeklyReportSpineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Counts the comma example independently of the importer: split lines, map names with the
    /// catalogue, group by sample, then by ISO week.
    func independentCounts(file: URL, week: ISOWeek) throws -> (tested: [String: Int], positive: [String: [ReportClass: Int]]) {
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        var sampleType: [String: String] = [:]
        var classes: [String: Set<ReportClass>] = [:]
        for row in lines.dropFirst() where ISOWeek(containing: CalendarDate(iso: row[col("collected_on")])!) == week {
            let id = row[col("sample_id")]
            sampleType[id] = row[col("sample_type")]
            var set = classes[id] ?? []
            if row[col("detected")] == "true", let s = SubstanceCatalogue.bundled.match(row[col("substance")]), s.role == .active,
               let rc = ReportClass(s.substanceClass) {
                set.insert(rc)
                if s.substanceClass.isSyntheticOpioid { set.insert(.anySyntheticOpioid) }
            }
            classes[id] = set
        }
        var tested: [String: Int] = [:]
        var positive: [String: [ReportClass: Int]] = [:]
        for (id, type) in sampleType {
            for key in [type, "all"] {
                tested[key, default: 0] += 1
                for c in classes[id]! { positive[key, default: [:]][c, default: 0] += 1 }
            }
        }
        return (tested, positive)
    }

    @Test func countsMatchAnIndependentTally() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try DrugCheckDatabase(path: directory.appendingPathComponent("r.sqlite").path)
        let file = Self.root.appendingPathComponent("Imports/be-dca-drugchecking.csv")
        #expect(try ImportPipeline.standard(database: db, observers: []).importFile(at: file, options: .init()).outcome == .imported)

        var weeksWithPositives = 0
        for weekNumber in 36...47 {
            let week = ISOWeek(year: 2026, week: weekNumber)!
            let report = try WeeklyReportBuilder(database: db).report(for: week)
            let expected = try independentCounts(file: file, week: week)
            #expect(!expected.tested.isEmpty, "the example covers every week from W36 to W47")
            for cell in report.cells where cell.source == "all" && cell.region == "all" && cell.lab == "all" {
                #expect(cell.tested == expected.tested[cell.sampleType] ?? 0, "\(week) \(cell.sampleType)")
                #expect(cell.positive == expected.positive[cell.sampleType]?[cell.reportClass] ?? 0, "\(week) \(cell.reportClass) \(cell.sampleType)")
                if let p = cell.prevalence { #expect(p == Double(cell.positive) / Double(cell.tested)) }
            }
            if (report.cell(.anySyntheticOpioid)?.positive ?? 0) > 0 { weeksWithPositives += 1 }
        }
        #expect(weeksWithPositives > 6)
    }

    @Test func emptyWeekAndJSONShape() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try DrugCheckDatabase(path: directory.appendingPathComponent("r.sqlite").path)
        let report = try WeeklyReportBuilder(database: db).report(for: ISOWeek("2026-W47")!)
        #expect(report.cells.count == ReportClass.allCases.count)
        #expect(report.cells.allSatisfy { $0.tested == 0 && $0.prevalence == nil && $0.sampleType == "all" && $0.smallNumber })
        let json = try JSONSerialization.jsonObject(with: Data(WeeklyReportRenderer.json(report).utf8)) as! [String: Any]
        #expect(json["week"] as? String == "2026-W47")
        let cell = (json["cells"] as! [[String: Any]])[0]
        // Later report versions extend the spine's shape; its keys stay.
        #expect(Set(cell.keys).isSuperset(of: ["class", "sample_type", "tested", "positive", "prevalence"]))
        #expect(cell["class"] as? String == "any_synthetic_opioid")
        #expect(cell["prevalence"] is NSNull)
    }

    @Test func lastCompleteWeek() {
        #expect(WeeklyReportBuilder.lastCompleteWeek(today: CalendarDate(year: 2026, month: 11, day: 22)!).description == "2026-W46")
        #expect(WeeklyReportBuilder.lastCompleteWeek(today: CalendarDate(year: 2027, month: 1, day: 4)!).description == "2026-W53")
    }
}
