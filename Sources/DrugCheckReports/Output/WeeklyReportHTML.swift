/// The weekly report as one self-contained HTML page (inline CSS and SVG, no scripts or external
/// assets) that also prints on A4.
enum WeeklyReportHTML {
    static let style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;margin:24px;max-width:1100px}
        h1{font-size:1.4em;margin:0 0 .3em}h2{font-size:1.1em;margin:1.2em 0 .4em}
        table{border-collapse:collapse;font-size:.8em;width:100%}th,td{border:1px solid #999;padding:2px 5px;text-align:left}
        td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#eee}
        tr.small td{color:#555;font-style:italic}tr.alarm td{font-weight:bold}
        svg .panel-title{font-size:12px;font-weight:bold}svg .tick{font-size:9px;fill:#333}
        svg .grid{stroke:#ccc;stroke-width:.5}svg .band{fill:#bbb;fill-opacity:.6;stroke:none}
        svg .line{fill:none;stroke:#000;stroke-width:1.5}svg .dot{fill:#000}
        @media print{body{margin:0;max-width:none}table{font-size:7pt}tr{break-inside:avoid}svg{max-width:100%}}
        """

    static func page(_ report: WeeklyReport) -> String {
        let title = HTMLText.escape(WeeklyReportText.title(report))
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(title)</title>\n"
        out += "<style>\n\(style)\n</style>\n</head>\n<body>\n<h1>\(title)</h1>\n<ul>\n"
        out += WeeklyReportText.summary(report, bullet: "").map { "<li>\(HTMLText.escape($0))</li>\n" }.joined()
        out += "</ul>\n<h2>Prevalence over \(report.trendWeeks) weeks (all samples, 95% Wilson band)</h2>\n"
        out += WeeklyReportChart.svg(report)
        out += "<h2>Cells</h2>\n<table>\n<thead><tr>"
        out += WeeklyReportText.header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for (cell, row) in zip(report.cells, WeeklyReportText.rows(report)) {
            var classes: [String] = []
            if cell.smallNumber { classes.append("small") }
            if cell.signals?.alarming.isEmpty == false { classes.append("alarm") }
            out += classes.isEmpty ? "<tr>" : "<tr class=\"\(classes.joined(separator: " "))\">"
            out += row.enumerated().map { i, text in
                (2...7).contains(i) ? "<td class=\"num\">\(HTMLText.escape(text))</td>" : "<td>\(HTMLText.escape(text))</td>"
            }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let footer = WeeklyReportText.footer(report) { out += "<footer><p>\(HTMLText.escape(footer))</p></footer>\n" }
        return out + "</body>\n</html>\n"
    }
}

/// Escapes text for HTML element content and attribute values.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
