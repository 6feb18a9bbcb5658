import ArgumentParser
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for the health ministry.",
        subcommands: [WeeklyReportCommand.self]
    )
}

struct WeeklyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weekly",
        abstract: "Prevalence of synthetic opioids and other classes per stratum for one ISO week, with signals.",
        discussion: """
            A sample belongs to the ISO week (Monday to Sunday) of its collection date, or of its first \
            analysis when the collection date is missing (the report says how many). Negative samples count \
            in 'tested'. 'all' marks a stratum summed over. Prevalence comes with a 95% Wilson score \
            interval; cells with fewer than 5 samples are flagged, not hidden. Signals: EARS C1/C2/C3 and \
            CUSUM (as R's surveillance package) on weekly positive counts per class and region. \
            JSON follows Schemas/weekly-report.schema.json.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "ISO week such as 2026-W47 (default: the last complete week).")
    var week: ISOWeek?

    @Option(name: .long, help: "Weeks of trend to show (signals always look back at least 12 weeks).")
    var weeks: Int = 12

    @Option(name: .long, help: "Restrict the report to one region: a NUTS code or a region name in English, Dutch, French or German ('unknown' for samples without one).")
    var region: String?

    @Option(name: .long, help: "Language of the region names: en, nl, fr or de.")
    var lang: String = "en"

    @Option(name: .long, help: "table, json, csv, html or md.")
    var format: ReportFormat = .table

    @Option(name: .long, help: "Write to this file instead of standard output.")
    var output: String?

    @Flag(name: .long, help: "CSV: start with a UTF-8 byte order mark (for Excel).")
    var bom = false

    @Flag(name: .long, help: "CSV: separate with ';' and write decimal commas (e.g. Belgian locales).")
    var semicolon = false

    func validate() throws {
        guard (1...260).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 260.") }
        guard ["en", "nl", "fr", "de"].contains(lang) else { throw ValidationError("--lang must be en, nl, fr or de.") }
        if format != .csv, bom || semicolon { throw ValidationError("--bom and --semicolon apply to --format csv only.") }
    }

    func run() throws {
        let source = try database.backend().reports
        let target = week ?? WeeklyReportBuilder.lastCompleteWeek(today: .today())
        // A region name is read as the import reads it, so "Luik" finds the samples stored as BE33.
        let code = region.map { $0 == WeeklyReport.unknownRegion ? $0 : RegionCatalogue.bundled.code(for: $0) ?? $0 }
        let report = try WeeklyReportBuilder(source: source).report(for: target, trendWeeks: weeks, region: code, language: lang)
        let dialect = SpreadsheetSafeCSV(separator: semicolon ? ";" : ",", decimalComma: semicolon, byteOrderMark: bom)
        let text = try WeeklyReportRenderer.render(report, as: format, csv: dialect)
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}
