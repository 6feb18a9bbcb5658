import Foundation

/// The weekly report as a terminal table and as Markdown: a title, notes, alarms and
/// first-seen substances, then one row per cell.
enum WeeklyReportText {
    static let header = ["class", "stratum", "tested", "positive", "provisional", "prevalence", "95% CI", "vs prev 4 wk", "unexpected",
                         "median conc.", "highest potency", "flags"]

    static func rows(_ report: WeeklyReport) -> [[String]] {
        report.cells.map { c in
            var flags: [String] = []
            if c.smallNumber { flags.append("n<\(WeeklyReport.smallNumberThreshold)") }
            if let alarming = c.signals?.alarming, !alarming.isEmpty { flags.append("ALARM " + alarming.map(\.rawValue).joined(separator: ",")) }
            if !c.firstSeen.isEmpty { flags.append("new: " + c.firstSeen.joined(separator: ",")) }
            // Samples awaiting verification: apart from tested/positive, marked, never mixed in.
            let provisional = c.provisionalTested == 0 ? "-" : "\(c.provisionalPositive)/\(c.provisionalTested) PROVISIONAL"
            return [c.reportClass.rawValue, c.stratum, String(c.tested), String(c.positive), provisional, percent(c.prevalence),
                    interval(c.ciLow, c.ciHigh), points(c.changeVsBaseline), String(c.unexpected),
                    c.medianConcentration.map { "\(decimal($0, 2)) \(c.concentrationUnit ?? "")" } ?? "-",
                    c.highestPotencySubstance ?? "-", flags.joined(separator: "; ")]
        }
    }

    static func summary(_ report: WeeklyReport, bullet: String) -> [String] {
        var lines = report.notes.map { bullet + $0 }
        for a in report.alarms {
            lines.append("\(bullet)Signal: \(a.reportClass.rawValue) in \(a.region == WeeklyReport.all ? "all regions" : a.region), "
                         + "\(a.observed) positive (\(a.methods.map(\.rawValue).joined(separator: ", ")))")
        }
        for s in report.firstSeen {
            lines.append("\(bullet)First seen: \(s.name) (\(s.substanceClass)) in \(s.samples) sample\(s.samples == 1 ? "" : "s")")
        }
        return lines
    }

    static func title(_ report: WeeklyReport) -> String {
        "Weekly report \(report.week) (\(report.week.monday) to \(report.week.sunday))"
            + (report.regionFilter.map { ", region \($0)" } ?? "")
    }

    static func table(_ report: WeeklyReport) -> String {
        title(report) + "\n" + summary(report, bullet: "* ").map { $0 + "\n" }.joined() + "\n"
            + TextTable(header: header, rows: rows(report)).rendered + (footer(report).map { "\n" + $0 + "\n" } ?? "")
    }

    /// The audit head line closing every format but CSV (a trailing line would break CSV readers).
    static func footer(_ report: WeeklyReport) -> String? {
        report.auditHead.map { "Audit log head at build time: entry \($0.sequence), SHA-256 \($0.sha256)" }
    }

    static func markdown(_ report: WeeklyReport) -> String {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\n", with: " ")
        }
        var out = "# \(cell(title(report)))\n\n"
        out += summary(report, bullet: "- ").map { cell($0) + "\n" }.joined() + "\n"
        out += "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { $0 >= 2 && $0 <= 7 ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows(report) { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        return out + (footer(report).map { "\n" + $0 + "\n" } ?? "")
    }

    static func percent(_ p: Double?) -> String { p.map { decimal($0 * 100, 1) + "%" } ?? "-" }

    static func interval(_ low: Double?, _ high: Double?) -> String {
        guard let low, let high else { return "-" }
        return decimal(low * 100, 1) + "–" + decimal(high * 100, 1) + "%"
    }

    /// A change in percentage points with its sign.
    static func points(_ change: Double?) -> String {
        guard let change else { return "-" }
        let text = decimal(change * 100, 1)
        return (change >= 0 && !text.hasPrefix("-") ? "+" : "") + text + " pp"
    }

    /// `value` with `digits` decimals, as `String(format: "%.<digits>f")` in the POSIX locale
    /// (C's correctly rounded `%f`), without Foundation's formatter, which was most of a table's
    /// rendering time.
    static func decimal(_ value: Double, _ digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([Int32(digits), value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        guard written > 0, written < buffer.count else { return String(format: "%.\(digits)f", locale: posix, value) }
        return String(decoding: buffer[0..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static let posix = Locale(identifier: "en_US_POSIX")
}
