import DrugCheckReports
import Foundation
import Testing

@Suite("drugcheck signals input and output")
struct SignalSeriesInputTests {
    @Test("the fixture input files read back to R's observed counts", arguments: SignalFixture.names)
    func readsFixtureSeries(name: String) throws {
        let fixture = try SignalFixture.load(name)
        let series = try WeeklySeries(contentsOf: SignalFixture.directory.appendingPathComponent("series/\(name).csv"))
        #expect(series.weeks == fixture.weeks)
        #expect(series.counts == fixture.observed)
    }

    @Test func semicolonBOMQuotesAndCRLF() throws {
        let series = try WeeklySeries(parsing: "\u{FEFF}Week;Count\r\n\"2026-W52\";4\r\n2026-W53;0\r\n2027-W01;12\r\n\r\n", file: "x.csv")
        #expect(series.weeks == ["2026-W52", "2026-W53", "2027-W01"])
        #expect(series.counts == [4, 0, 12])
    }

    @Test("errors name the file, line and what was expected", arguments: [
        ("week,count\n2026-W01,3\n2026-W02,-1\n", 3, "non-negative count"),
        ("week,count\n2026-W01,3\n2026-W02,nan\n", 3, "non-negative count"),
        ("week,count\n2026-W01,3\n2026-W02\n", 3, "expected 2 fields"),
        ("date,n\n2026-W01,3\n", 1, "header"),
        ("week,count\n2026-W01,3\n2026-W03,4\n", 3, "expected 2026-W02 after 2026-W01"),
        ("week,count\nA,3\n\nA,4\n", 4, "appears twice"),
        ("week,count\n,3\n", 2, "empty week"),
        ("week,count\n2026-W01," + String(repeating: "9", count: 5000) + "\n", 2, "longer than"),
        ("", 1, "empty file"),
    ])
    func rejects(text: String, line: Int, message: String) {
        do {
            _ = try WeeklySeries(parsing: text, file: "bad.csv")
            Issue.record("accepted \(text.prefix(40))")
        } catch let error as WeeklySeriesError {
            #expect(error.file == "bad.csv")
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("bad.csv:\(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("JSON output: R's nulls, full precision, stable bytes")
    func jsonOutput() throws {
        let fixture = try SignalFixture.load("short_12")
        let series = try WeeklySeries(contentsOf: SignalFixture.directory.appendingPathComponent("series/short_12.csv"))
        let text = SignalTable(series: series, method: .earsC1).render(.json)
        #expect(text == SignalTable(series: series, method: .earsC1).render(.json))
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(rows.count == 12)
        #expect(rows[0]["upperbound"] is NSNull && rows[0]["alarm"] is NSNull)
        #expect(rows[7]["week"] as? String == "2026-W08")
        #expect(rows[7]["alarm"] as? Bool == true)
        let bound = try #require(rows[7]["upperbound"] as? Double)
        #expect(abs(bound - fixture.methods["ears_c1"]!.upperbound[7]!) <= 1e-12)
        #expect(text.contains("{\"week\": \"2026-W08\", \"observed\": 9, \"upperbound\": "))
    }

    @Test("CSV output neutralises formula-looking labels")
    func csvOutput() throws {
        let series = try WeeklySeries(parsing: "week,count\n=HYPERLINK(1),1\n\"a,b\",2\n", file: "x.csv")
        let lines = SignalTable(series: series, method: .cusum).render(.csv).split(separator: "\n")
        #expect(lines == ["week,observed,upperbound,alarm", "'=HYPERLINK(1),1,,", "\"a,b\",2,,"])
    }

    @Test func tableOutput() throws {
        let series = try WeeklySeries(contentsOf: SignalFixture.directory.appendingPathComponent("series/short_12.csv"))
        let text = SignalTable(series: series, method: .earsC1).render(.table)
        #expect(text.contains("2026-W08         9       5.444  ALARM"))
        #expect(text.hasSuffix("2 alarms in 12 weeks\n"))
    }
}
