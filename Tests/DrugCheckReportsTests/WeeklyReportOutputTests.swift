import DrugCheckModel
import DrugCheckReports
@testable import DrugCheckStore
import Foundation
import Testing

@Suite("Weekly report weeks and output formats")
struct WeeklyReportOutputTests {
    static let header = "lab,sample_id,sample_type,source,sold_as,description,collected_on,region,technique,instrument,analysed_on,substance,detected,concentration,unit,rt_min,mz,match_score\n"

    /// ISO 8601 week-year boundaries: 2025-12-29 is in 2026-W01, 2027-01-01 in 2026-W53,
    /// 2027-01-04 in 2027-W01; without a collection date the analysis date decides, and the report says so.
    @Test func samplesLandInTheirISOWeek() throws {
        let db = try ReportTestDatabase()
        try db.importText(Self.header + """
            XX-LAB,B1,powder,drug_checking,heroin,,2025-12-29,R1,GC-MS,,2025-12-30,fentanyl,true,2.5,%w/w,,,
            XX-LAB,B2,powder,drug_checking,heroin,,2027-01-01,R1,GC-MS,,2027-01-05,fentanyl,true,,,,,
            XX-LAB,B3,powder,drug_checking,cocaine,,2027-01-04,R1,GC-MS,,2027-01-04,cocaine,true,,,,,
            XX-LAB,B4,tablet,police_seizure,oxycodone,,2027-01-08,R2,GC-MS,,2027-01-03,isotonitazene,true,,,,,

            """, name: "boundaries.csv")
        // The CSV format requires a collection date; other formats may lack one, and then the store
        // dates the sample by its analysis (here 2027-01-03, a Sunday in 2026-W53).
        try db.database.writer.write { d in
            try d.execute(sql: "UPDATE sample SET collected_on = NULL, iso_week = '2026-W53', week_basis = 'analysed' WHERE lab_sample_id = 'B4'")
            // As the store does when a write moves a sample to another week (the triggers keep the strata).
            try WeekRollups.recompute(d, weeks: ["2026-W53", "2027-W01"])
        }
        let w01 = try db.report("2026-W01")
        #expect(w01.cell(.fentanylAnalogue)?.positive == 1)
        #expect(w01.cell(.fentanylAnalogue)?.tested == 1)
        let w53 = try db.report("2026-W53")
        #expect(w53.cell(.anySyntheticOpioid)?.tested == 2)
        #expect(w53.cell(.nitazene, region: "R2")?.positive == 1)
        #expect(w53.datedByAnalysis == 1)
        #expect(w53.notes.contains { $0.contains("1 of 2 samples had no collection date") })
        let w2701 = try db.report("2027-W01")
        #expect(w2701.cell(.anySyntheticOpioid)?.tested == 1 && w2701.cell(.anySyntheticOpioid)?.positive == 0)
        #expect(w2701.datedByAnalysis == 0)
        #expect(try db.report("2026-W52").cell(.anySyntheticOpioid)?.tested == 0)
    }

    @Test func csvIsSafeForSpreadsheets() throws {
        let db = try ReportTestDatabase()
        try db.importText(Self.header + """
            XX-LAB,C1,powder,drug_checking,heroin,,2026-11-17,"=HYPERLINK(""http://x"")",GC-MS,,2026-11-18,fentanyl,true,,,,,
            XX-LAB,C2,powder,drug_checking,heroin,,2026-11-10,@SUM(A1),GC-MS,,2026-11-11,heroin,true,,,,,

            """, name: "injection.csv")
        let report = try db.report("2026-W47")
        let csv = try WeeklyReportRenderer.render(report, as: .csv)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(csv.contains(",\"'@SUM(A1)\","))
        #expect(!csv.contains(",=") && !csv.contains(",@") && !csv.contains(",+"))
        // Negative numbers stay numbers: the fentanyl total went from 0% to 100%, heroin's from 100% to 0%.
        let classic = try #require(report.cell(.classicOpioid)?.changeVsBaseline)
        #expect(classic == -1)
        #expect(csv.contains(",-1,"))

        let belgian = try WeeklyReportRenderer.render(report, as: .csv, csv: SpreadsheetSafeCSV(separator: ";", decimalComma: true, byteOrderMark: true))
        #expect(belgian.hasPrefix("\u{FEFF}week;class;sample_type"))
        let line = try #require(belgian.split(separator: "\r\n").first { $0.contains(";fentanyl_analogue;all;all;all;all;") })
        #expect(line.contains(";1;1;1;0,20654931437723"), "tested;positive;prevalence;ci_low with decimal commas: \(line)")
    }

    @Test("byte-identical output", arguments: ReportFormat.allCases)
    func deterministic(format: ReportFormat) throws {
        let first = try ReportTestDatabase.withExamples()
        let second = try ReportTestDatabase.withExamples()
        // One clock for all three: each database records the week's first edition at that time
        // (reports made a second apart would differ in it, as they should).
        let now = Date()
        let report = try first.report("2026-W44", now: now)
        let head = try #require(report.auditHead)
        var other = try second.report("2026-W44", now: now)
        // The same data in two databases: only the audit log's head (its entries' times) differs.
        #expect(other.auditHead != head)
        other.auditHead = head
        let a = try WeeklyReportRenderer.render(report, as: format)
        let b = try WeeklyReportRenderer.render(other, as: format)
        let c = try WeeklyReportRenderer.render(try first.report("2026-W44", now: now.addingTimeInterval(5)), as: format)
        #expect(a == b && a == c)
        #expect(a.contains(head.sha256) == (format != .csv), "the audit head is in every format but CSV")
    }

    @Test func htmlIsSelfContained() throws {
        let db = try ReportTestDatabase.withExamples()
        let html = try WeeklyReportRenderer.render(try db.report("2026-W47"), as: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(!html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(html.components(separatedBy: "<polygon").count - 1 >= ReportClass.allCases.count - 2, "Wilson bands")
        #expect(html.contains("@media print"))
    }

    @Test func jsonRoundTripsAndFollowsTheSchema() throws {
        let db = try ReportTestDatabase.withExamples()
        let report = try db.report("2026-W47", region: nil)
        let json = try WeeklyReportRenderer.json(report)
        #expect(try JSONDecoder().decode(WeeklyReport.self, from: Data(json.utf8)) == report)
        let schemaURL = ReportTestDatabase.root.appendingPathComponent("Schemas/weekly-report.schema.json")
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as! [String: Any]
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8))
        let problems = SchemaCheck(root: schema).problems(document)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func regionFilter() throws {
        let db = try ReportTestDatabase.withExamples()
        let all = try db.report("2026-W40")
        let region = try #require(all.cells.first { $0.region != "all" && $0.tested > 0 }?.region)
        let filtered = try db.report("2026-W40", region: region)
        #expect(filtered.regionFilter == region)
        for reportClass in ReportClass.allCases {
            #expect(filtered.cell(reportClass)?.tested == all.cell(reportClass, region: region)?.tested)
            #expect(filtered.cell(reportClass)?.positive == all.cell(reportClass, region: region)?.positive)
        }
        #expect(filtered.cells.allSatisfy { $0.region == "all" || $0.region == region })
    }
}
