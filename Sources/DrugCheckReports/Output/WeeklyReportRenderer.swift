import Foundation

/// Output formats of reports.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json, csv, html, md
}

/// Renders a weekly report. Output is deterministic: the same report gives the same bytes
/// (fixed cell order, sorted JSON keys, no timestamps).
///
/// ```swift
/// let csv = try WeeklyReportRenderer.render(report, as: .csv, csv: SpreadsheetSafeCSV(separator: ";", decimalComma: true))
/// ```
public enum WeeklyReportRenderer {
    public static func render(_ report: WeeklyReport, as format: ReportFormat, csv dialect: SpreadsheetSafeCSV = .init()) throws -> String {
        switch format {
        case .json: return try json(report)
        case .csv: return csv(report, dialect: dialect)
        case .table: return WeeklyReportText.table(report)
        case .md: return WeeklyReportText.markdown(report)
        case .html: return WeeklyReportHTML.page(report)
        }
    }

    public static func json(_ report: WeeklyReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    static let csvHeader: [SpreadsheetSafeCSV.Cell] = [
        "week", "class", "sample_type", "source", "region", "lab", "tested", "positive", "prevalence", "ci_low", "ci_high",
        "small_number", "baseline_prevalence", "change_vs_baseline", "unexpected", "median_concentration",
        "concentration_unit", "quantified", "first_seen", "highest_potency_substance",
        "ears_c1_alarm", "ears_c2_alarm", "ears_c3_alarm", "cusum_alarm", "provisional_tested", "provisional_positive",
    ]

    /// One row per cell; signal columns are empty where no signal was computed or R gives NA.
    public static func csv(_ report: WeeklyReport, dialect: SpreadsheetSafeCSV = .init()) -> String {
        var out = dialect
        out.row(csvHeader)
        func number(_ d: Double?) -> SpreadsheetSafeCSV.Cell { d.map { .number($0) } ?? .empty }
        func flag(_ b: Bool?) -> SpreadsheetSafeCSV.Cell { b.map { .text($0 ? "true" : "false") } ?? .empty }
        for c in report.cells {
            let signals = c.signals.map { [$0.earsC1, $0.earsC2, $0.earsC3, $0.cusum].map { flag($0.alarm) } }
            out.row([.text(report.week.description), .text(c.reportClass.rawValue), .text(c.sampleType), .text(c.source),
                     .text(c.region), .text(c.lab), .integer(c.tested), .integer(c.positive), number(c.prevalence),
                     number(c.ciLow), number(c.ciHigh), flag(c.smallNumber), number(c.baselinePrevalence),
                     number(c.changeVsBaseline), .integer(c.unexpected), number(c.medianConcentration),
                     c.concentrationUnit.map { .text($0) } ?? .empty, .integer(c.quantified),
                     .text(c.firstSeen.joined(separator: " ")), c.highestPotencySubstance.map { .text($0) } ?? .empty]
                    + (signals ?? Array(repeating: .empty, count: 4)) + [.integer(c.provisionalTested), .integer(c.provisionalPositive)])
        }
        return out.text
    }
}
