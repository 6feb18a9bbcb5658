import Foundation

/// Output formats of reports.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// Renders a weekly report. Output is deterministic: the same report gives the same bytes.
public enum WeeklyReportRenderer {
    public static func render(_ report: WeeklyReport, as format: ReportFormat) throws -> String {
        switch format {
        case .json: return try json(report)
        case .csv: return csv(report)
        case .table: return table(report)
        }
    }

    public static func json(_ report: WeeklyReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }

    public static func csv(_ report: WeeklyReport, dialect: SpreadsheetSafeCSV = .init()) -> String {
        var out = dialect
        out.row(["week", "class", "sample_type", "tested", "positive", "prevalence"])
        for c in report.cells {
            out.row([.text(report.week.description), .text(c.reportClass.rawValue), .text(c.sampleType), .integer(c.tested),
                     .integer(c.positive), c.prevalence.map { .number($0) } ?? .empty])
        }
        return out.text
    }

    public static func table(_ report: WeeklyReport) -> String {
        let rows = report.cells.filter { $0.tested > 0 }.map { c in
            [c.reportClass.rawValue, c.sampleType, String(c.tested), String(c.positive), percent(c.prevalence)]
        }
        let title = "Week \(report.week) (\(report.week.monday) to \(report.week.sunday))\n"
        if rows.isEmpty { return title + "No samples in this week.\n" }
        return title + TextTable(header: ["class", "sample type", "tested", "positive", "prevalence"], rows: rows).rendered
    }

    static func percent(_ p: Double?) -> String {
        guard let p else { return "-" }
        return String(format: "%.1f%%", p * 100)
    }
}
