import Foundation

/// Markdown and self-contained HTML pages of a bulletin message (one section per language).
///
/// ```swift
/// print(ReadableWriters.markdown(document))
/// try ReadableWriters.html(document).write(to: url, atomically: true, encoding: .utf8)
/// ```
public enum ReadableWriters {
    public static func markdown(_ d: BulletinDocument) -> String {
        var out = "# \(d.texts.first?.headline ?? d.identifier)\n\n"
        out += "| | |\n|---|---|\n"
        for (key, value) in header(d) { out += "| \(key) | \(value.replacingOccurrences(of: "|", with: "\\|")) |\n" }
        if let note = d.note { out += "\n> \(note)\n" }
        for t in d.texts {
            out += "\n## \(t.event) (\(t.language.tag))\n\n**\(t.headline)**\n\n\(t.description)\n\n\(t.instruction)\n\n"
            out += "Area: \(t.areaDescription)\n"
        }
        out += "\n## Evidence\n\n"
        for link in d.evidence { out += "- [\(link.title)](\(link.uri))\n" }
        out += "- [CAP 1.2](\(d.capURL))\n"
        return out
    }

    public static func html(_ d: BulletinDocument) -> String {
        let e = XMLText.escape
        let lang = d.texts.first?.language.tag ?? "en"
        var out = """
            <!DOCTYPE html>
            <html lang="\(lang)">
            <head>
            <meta charset="utf-8">
            <title>\(e(d.texts.first?.headline ?? d.identifier))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#111}
            .sev{display:inline-block;padding:.2rem .6rem;border-radius:.3rem;color:#fff;background:\(color(d.facts.severity))}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
            section{border-top:1px solid #ddd;margin-top:1.5rem}.instruction{background:#fff6d5;padding:.6rem}
            </style>
            </head>
            <body>
            <p><span class="sev">\(e(d.facts.severity.rawValue))</span> \(e(d.messageType.rawValue)) · \(e(d.status.rawValue))</p>
            <h1>\(e(d.texts.first?.headline ?? d.identifier))</h1>
            <table>

            """
        for (key, value) in header(d) { out += "<tr><th>\(e(key))</th><td>\(e(value))</td></tr>\n" }
        out += "</table>\n"
        if let note = d.note { out += "<p><strong>\(e(note))</strong></p>\n" }
        for t in d.texts {
            out += "<section lang=\"\(t.language.tag)\">\n<h2>\(e(t.event))</h2>\n<p><strong>\(e(t.headline))</strong></p>\n"
            out += t.description.split(separator: "\n").map { "<p>\(e(String($0)))</p>\n" }.joined()
            out += "<p class=\"instruction\">\(e(t.instruction))</p>\n<p>\(e(t.areaDescription))</p>\n</section>\n"
        }
        out += "<section>\n<h2>Evidence</h2>\n<ul>\n"
        for link in d.evidence { out += "<li><a href=\"\(e(link.uri))\">\(e(link.title))</a></li>\n" }
        out += "<li><a href=\"\(e(d.capURL))\">CAP 1.2</a></li>\n</ul>\n</section>\n</body>\n</html>\n"
        return out
    }

    static func header(_ d: BulletinDocument) -> [(String, String)] {
        let f = d.facts
        return [
            ("Identifier", d.identifier), ("Sent", CAPTime.string(d.sent)), ("Status", d.status.rawValue),
            ("Message type", d.messageType.rawValue), ("Review state", d.state.rawValue),
            ("Severity / urgency / certainty", "\(f.severity.rawValue) / \(f.urgency.rawValue) / \(f.certainty.rawValue)"),
            ("Trigger", "\(f.trigger.number) (\(f.trigger.rawValue))"), ("Samples", String(f.sampleCount)),
        ] + (d.references.isEmpty ? [] : [("References", d.references.map(\.identifier).joined(separator: ", "))])
            + (f.provisionalSamples.map { [("Provisional", "\($0) sample(s) with results awaiting verification")] } ?? [])
            + (d.auditHead.map { [("Audit log head", $0)] } ?? [])
    }

    private static func color(_ s: CAPSeverity) -> String {
        switch s {
        case .extreme: "#8b0000"
        case .severe: "#c0392b"
        case .moderate: "#d35400"
        case .minor, .unknown: "#555"
        }
    }
}
