import ArgumentParser
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
        abstract: "Samples tested and positive per substance class and sample type for one ISO week.",
        discussion: """
            A sample belongs to the ISO week (Monday to Sunday) of its collection date, or of its first \
            analysis when the collection date is missing. Negative samples count in 'tested'. \
            'all' marks a stratum summed over.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "ISO week such as 2026-W47 (default: the last complete week).")
    var week: ISOWeek?

    @Option(name: .long, help: "table, json or csv.")
    var format: ReportFormat = .table

    func run() throws {
        let db = try database.open()
        let target = week ?? WeeklyReportBuilder.lastCompleteWeek(today: Today.date)
        let report = try WeeklyReportBuilder(database: db).report(for: target)
        print(try WeeklyReportRenderer.render(report, as: format), terminator: "")
    }
}

extension ReportFormat: ExpressibleByArgument {}

enum Today {
    /// Today's date in UTC.
    static var date: CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDate(year: c.year!, month: c.month!, day: c.day!)!
    }
}
