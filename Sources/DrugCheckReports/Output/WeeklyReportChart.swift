import DrugCheckModel
import Foundation

/// Inline SVG small multiples: per report class, prevalence over the trend weeks as a line with
/// its 95% Wilson band. Greys and black only, so it prints legibly on a monochrome printer.
enum WeeklyReportChart {
    static let panelWidth = 300.0, panelHeight = 170.0, columns = 2
    static let left = 44.0, right = 10.0, top = 24.0, bottom = 30.0

    static func svg(_ report: WeeklyReport) -> String {
        let classes = ReportClass.allCases
        let rowsCount = (classes.count + columns - 1) / columns
        let width = panelWidth * Double(columns), height = panelHeight * Double(rowsCount)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" role=\"img\" aria-label=\"Prevalence per class over \(report.trendWeeks) weeks with 95% Wilson intervals\">\n"
        for (i, reportClass) in classes.enumerated() {
            let points = report.trend.filter { $0.reportClass == reportClass }
            let x0 = Double(i % columns) * panelWidth, y0 = Double(i / columns) * panelHeight
            out += "<g transform=\"translate(\(n(x0)),\(n(y0)))\">\n" + panel(reportClass, points) + "</g>\n"
        }
        return out + "</svg>\n"
    }

    private static func panel(_ reportClass: ReportClass, _ points: [WeeklyReport.TrendPoint]) -> String {
        let plotW = panelWidth - left - right, plotH = panelHeight - top - bottom
        let highest = points.compactMap(\.ciHigh).max() ?? 0
        let yMax = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0].first { $0 >= highest } ?? 1.0
        func x(_ i: Int) -> Double { left + (points.count > 1 ? Double(i) / Double(points.count - 1) * plotW : plotW / 2) }
        func y(_ p: Double) -> Double { top + plotH * (1 - p / yMax) }

        var out = "<text x=\"\(n(left))\" y=\"15\" class=\"panel-title\">\(HTMLText.escape(reportClass.rawValue))</text>\n"
        for tick in [0, yMax / 2, yMax] {
            out += "<line x1=\"\(n(left))\" x2=\"\(n(left + plotW))\" y1=\"\(n(y(tick)))\" y2=\"\(n(y(tick)))\" class=\"grid\"/>"
                + "<text x=\"\(n(left - 4))\" y=\"\(n(y(tick) + 3))\" class=\"tick\" text-anchor=\"end\">\(n(tick * 100))%</text>\n"
        }
        for i in points.indices where i == 0 || i == points.count - 1 || i == points.count / 2 {
            // First and last labels hang inwards so they stay inside the panel.
            let anchor = points.count == 1 || (i != 0 && i != points.count - 1) ? "middle" : (i == 0 ? "start" : "end")
            out += "<text x=\"\(n(x(i)))\" y=\"\(n(top + plotH + 14))\" class=\"tick\" text-anchor=\"\(anchor)\">\(points[i].week)</text>\n"
        }
        // Runs of consecutive weeks with samples; a week without samples breaks line and band.
        var runs: [[Int]] = []
        for i in points.indices where points[i].prevalence != nil {
            if let lastRun = runs.last, lastRun.last == i - 1 { runs[runs.count - 1].append(i) } else { runs.append([i]) }
        }
        for run in runs {
            let upper = run.map { "\(n(x($0))),\(n(y(points[$0].ciHigh!)))" }
            let lower = run.reversed().map { "\(n(x($0))),\(n(y(points[$0].ciLow!)))" }
            out += "<polygon points=\"\((upper + lower).joined(separator: " "))\" class=\"band\"/>\n"
            out += "<polyline points=\"\(run.map { "\(n(x($0))),\(n(y(points[$0].prevalence!)))" }.joined(separator: " "))\" class=\"line\"/>\n"
            for i in run {
                out += "<circle cx=\"\(n(x(i)))\" cy=\"\(n(y(points[i].prevalence!)))\" r=\"2.5\" class=\"dot\">"
                    + "<title>\(points[i].week): \(points[i].positive)/\(points[i].tested)</title></circle>\n"
            }
        }
        if runs.isEmpty {
            out += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(top + plotH / 2))\" class=\"tick\" text-anchor=\"middle\">no samples</text>\n"
        }
        return out
    }

    /// Coordinates with at most one decimal, without a trailing `.0`: stable, compact text.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", locale: Locale(identifier: "en_US_POSIX"), rounded)
    }
}
