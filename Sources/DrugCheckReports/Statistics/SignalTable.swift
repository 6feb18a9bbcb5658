import Foundation

/// Renders a method's per-week output for `drugcheck signals`: an aligned text table, a JSON
/// array of `{"week", "observed", "upperbound", "alarm"}` (null where R gives NA), or CSV.
/// Numbers are written in Swift's shortest round-trip form, so output is byte-identical
/// between runs and JSON/CSV values read back to the same doubles.
///
/// ```swift
/// let series = try WeeklySeries(contentsOf: url)
/// print(SignalTable(series: series, method: .earsC1).render(.json))
/// ```
public struct SignalTable: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case table, json, csv
    }

    public var weeks: [String]
    public var points: [SignalPoint]
    public var method: SignalMethod

    public init(series: WeeklySeries, method: SignalMethod) {
        weeks = series.weeks
        points = method.evaluate(series.counts)
        self.method = method
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .table: table()
        case .json: json()
        case .csv: csv()
        }
    }

    private func json() -> String {
        guard !points.isEmpty else { return "[]\n" }
        let rows = zip(weeks, points).map { week, p in
            "  {\"week\": \(Self.jsonString(week)), \"observed\": \(Self.number(p.observed)), "
                + "\"upperbound\": \(p.upperbound.map(Self.number) ?? "null"), "
                + "\"alarm\": \(p.alarm.map { $0 ? "true" : "false" } ?? "null")}"
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }

    private func csv() -> String {
        var out = "week,observed,upperbound,alarm\n"
        for (week, p) in zip(weeks, points) {
            let alarm = p.alarm.map { $0 ? "true" : "false" } ?? ""
            out += "\(Self.csvText(week)),\(Self.number(p.observed)),\(p.upperbound.map(Self.number) ?? ""),\(alarm)\n"
        }
        return out
    }

    private func table() -> String {
        let header = ["week", "observed", "upperbound", "alarm"]
        let rows = zip(weeks, points).map { week, p in
            [week, Self.number(p.observed), p.upperbound.map { String(format: "%.3f", $0) } ?? "-",
             p.alarm.map { $0 ? "ALARM" : "no" } ?? "-"]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, text in
                let pad = String(repeating: " ", count: widths[c] - text.count)
                return c == 0 ? text + pad : pad + text
            }.joined(separator: "  ")
        }
        var out = "\(method.rawValue) (first monitored week: \(method.firstMonitoredWeek))\n"
        out += line(header) + "\n"
        for row in rows { out += line(row) + "\n" }
        let alarms = points.filter { $0.alarm == true }.count
        out += "\(alarms) alarm\(alarms == 1 ? "" : "s") in \(points.count) weeks\n"
        return out
    }

    /// Integers without a fraction, other values in shortest round-trip form.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Quotes when needed and neutralises formula-looking labels (OWASP CSV injection).
    static func csvText(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
