import ArgumentParser
import DrugCheckReports
import Foundation

/// `drugcheck signals FILE.csv --method ears-c1|ears-c2|ears-c3|cusum [--format table|json|csv]`:
/// runs one aberration-detection method over any `week,count` series.
struct SignalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Run EARS C1/C2/C3 or CUSUM (as R's surveillance package) over a weekly count series.",
        discussion: """
            FILE has a header `week,count` (or `week;count`) and one row per week in order; ISO week \
            labels (2026-W01) must be consecutive. Parameters: earsC baseline 7, alpha 0.001 (C1, C2) \
            and 0.025 (C3); CUSUM k = 1.04, h = 2.26, reference mean of weeks 1-7. Weeks before the \
            first monitored one (C1: 8, C2: 10, C3: 12, CUSUM: 8) have no upper bound (null).
            """
    )

    @Argument(help: "CSV file with `week,count` rows.")
    var file: String

    @Option(help: "ears-c1, ears-c2, ears-c3 or cusum.")
    var method: SignalMethod

    @Option(help: "table, json or csv.")
    var format: SignalTable.Format = .table

    func run() throws {
        let series: WeeklySeries
        do {
            series = try WeeklySeries(contentsOf: URL(fileURLWithPath: file))
        } catch let error as WeeklySeriesError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        FileHandle.standardOutput.write(Data(SignalTable(series: series, method: method).render(format).utf8))
    }
}

extension SignalMethod: ExpressibleByArgument {}
extension SignalTable.Format: ExpressibleByArgument {}
