import ArgumentParser
import DrugCheckClassify
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation

/// `drugcheck bench report`: generates (or reuses) a database of N findings over 5 years and
/// times the weekly report in every format, 12 consecutive weekly reports, and a 5-year trend;
/// prints the figures and the SQL plans as Markdown for BENCHMARKS.md.
struct BenchReport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time the weekly report on a generated database (default 10 million findings over 5 years)."
    )

    @OptionGroup var data: GeneratedDatabaseOptions

    @Option(help: "Timed runs per measurement (the median is reported).")
    var runs = 7

    @Option(help: "Also time the same reports on this PostgreSQL database (postgres://…), side by side; the generated database is copied into it first when it is empty.")
    var postgres: String?

    func run() throws {
        let database = try data.open()
        let week = data.week
        var builders = [("SQLite", WeeklyReportBuilder(database: database))]
        var session: PostgresSession?
        if let postgres {
            let target = try PostgresSession.connect(to: try PostgresLocation(parsing: postgres))
            try Self.copyWhenEmpty(database, to: target)
            builders.append(("PostgreSQL", WeeklyReportBuilder(source: PostgresReportReader(session: target))))
            session = target
        }
        defer { session?.close() }
        print("| measurement | " + builders.map { "\($0.0) first run (ms) | \($0.0) median of \(runs) (ms)" }.joined(separator: " | ") + " |")
        print("|---|" + String(repeating: "---:|---:|", count: builders.count))
        for format in ReportFormat.allCases {
            try measure("one week, \(format.rawValue) (12-week trend and signals included)", builders) { builder in
                _ = try WeeklyReportRenderer.render(try builder.report(for: week), as: format)
            }
        }
        try measure("12 weekly reports, \(week.adding(weeks: -11))…\(week), json", builders) { builder in
            for i in 0..<12 { _ = try WeeklyReportRenderer.json(try builder.report(for: week.adding(weeks: -i))) }
        }
        try measure("one week with a 260-week trend, json", builders) { builder in
            _ = try WeeklyReportRenderer.json(try builder.report(for: week, trendWeeks: 260))
        }
        let builder = builders[0].1
        print("\nSQL plans (EXPLAIN QUERY PLAN):\n")
        for (name, plan) in try builder.queryPlans() {
            print("- \(name):\n" + plan.map { "  - `\($0)`" }.joined(separator: "\n"))
        }
    }

    /// Gives `target` the schema and, when it holds no data yet, a checked copy of `database`.
    static func copyWhenEmpty(_ database: DrugCheckDatabase, to target: PostgresSession) throws {
        try PostgresMigrator.migrate(target)
        guard try target.query("SELECT 1 FROM import_batch LIMIT 1").isEmpty else { return }
        let start = DispatchTime.now()
        let copied = try DatabaseCopy.run(from: database, to: target)
        print("Copied \(copied.tables.reduce(0) { $0 + $1.rows }) rows to \(target.location) in \(Self.seconds(since: start)) s (`drugcheck db copy`, checked).\n")
    }

    /// Times `body` on each backend in turn, `runs` times each; one table row.
    private func measure(_ name: String, _ builders: [(String, WeeklyReportBuilder)], _ body: (WeeklyReportBuilder) throws -> Void) throws {
        var cells: [String] = []
        for (_, builder) in builders {
            var times: [Double] = []
            for _ in 0..<max(1, runs) {
                let start = DispatchTime.now()
                try body(builder)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
            }
            cells += [String(format: "%.1f", times[0]), String(format: "%.1f", times.sorted()[times.count / 2])]
        }
        print("| \(name) | \(cells.joined(separator: " | ")) |")
    }

    static func seconds(since start: DispatchTime) -> String {
        String(format: "%.1f", Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9)
    }
}

/// The generated database of `drugcheck bench report` and `bench pages`: the file, and what to
/// generate into it when it does not exist.
struct GeneratedDatabaseOptions: ParsableArguments {
    @Option(help: "Database file; generated when it does not exist.")
    var db = "bench-report.sqlite"

    @Option(help: "Findings to generate.")
    var findings = 10_000_000

    @Option(help: "ISO weeks of generated data (261 = 5 years); fewer weeks with proportionally fewer findings keep a week's load.")
    var weeks = 261

    @Option(help: "Last week of the generated data, and the week reported on.")
    var week = ISOWeek("2026-W47")!

    /// Opens the database, first generating synthetic surveillance data into it when the file does not exist.
    func open() throws -> DrugCheckDatabase {
        let fresh = !FileManager.default.fileExists(atPath: db)
        let database = try DrugCheckDatabase(path: db)
        if fresh {
            let start = DispatchTime.now()
            let totals = try SyntheticSurveillanceData(findings: findings, weeks: weeks, lastWeek: week).generate(into: database, catalogue: .bundled)
            print("Generated \(totals.samples) samples, \(totals.findings) findings over \(weeks) weeks in \(BenchReport.seconds(since: start)) s "
                  + "(triggers maintaining the report aggregates included).\n")
        }
        return database
    }
}
