import DrugCheckBulletins

/// Builds one inline `<svg>` as text: every attribute value and text node is XML-escaped
/// (``XMLText``, which also drops characters XML forbids), numbers are written with fixed
/// decimals and no locale, and the root carries `role="img"`, `aria-label` and a `<title>` so
/// screen readers announce the chart.
///
/// ```swift
/// var svg = SVGWriter(width: 200, height: 100, className: "trend", title: "Fentanyl <2026>")
/// svg.element("line", ["x1": SVGWriter.number(0), "y1": "50", "x2": "200", "y2": "50", "stroke": ChartColour.ink])
/// svg.element("text", ["x": "4", "y": "12"], text: "a < b")
/// let markup = svg.finish() // "<svg … aria-label=\"Fentanyl &lt;2026&gt;\">…</svg>\n"
/// ```
struct SVGWriter {
    private var output = ""
    private var openElements: [String] = []

    /// Opens the root element; `description`, when given, becomes a `<desc>`.
    init(width: Double, height: Double, className: String, title: String, description: String? = nil) {
        let size = "\(Self.number(width)) \(Self.number(height))"
        open("svg", [
            "xmlns": "http://www.w3.org/2000/svg", "class": className, "viewBox": "0 0 \(size)",
            "width": Self.number(width), "height": Self.number(height), "role": "img", "aria-label": title,
            "font-family": "system-ui, sans-serif",
        ])
        element("title", [:], text: title)
        if let description { element("desc", [:], text: description) }
    }

    /// `<name attributes…>`; children follow until ``close()``.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        output += "<" + name + Self.attributes(attributes) + ">"
        openElements.append(name)
    }

    /// Closes the innermost open element.
    mutating func close() {
        guard let name = openElements.popLast() else { preconditionFailure("SVGWriter: close() without open()") }
        output += "</\(name)>\n"
    }

    /// A leaf element: `<name …/>`, or `<name …>text</name>` when `text` is given.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        output += "<" + name + Self.attributes(attributes)
        output += text.map { ">" + XMLText.escape($0) + "</\(name)>\n" } ?? "/>\n"
    }

    /// An element whose only child is a `<title>`: the tooltip browsers show on hover.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, tooltip: String) {
        open(name, attributes)
        element("title", [:], text: tooltip)
        close()
    }

    /// Closes what is still open, the root included, and returns the markup.
    mutating func finish() -> String {
        while !openElements.isEmpty { close() }
        return output
    }

    private static func attributes(_ pairs: KeyValuePairs<String, String>) -> String {
        pairs.map { " \($0.key)=\"\(XMLText.escape($0.value))\"" }.joined()
    }

    /// `value` rounded to `decimals` places, trailing zeros dropped: `12.5`, `3`, `-0.25`.
    /// Always a dot and no grouping, whatever the locale; non-finite values are written as `0`.
    static func number(_ value: Double, decimals: Int = 1) -> String {
        guard value.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<max(decimals, 0) { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 1e15 else { return String(Int(value.rounded())) }
        let units = Int(scaled)
        let whole = units / Int(scale)
        var fraction = String(units % Int(scale))
        fraction = String(repeating: "0", count: max(decimals - fraction.count, 0)) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = value < 0 && units != 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `proportion` (0–1) as a percentage: `12.5%`.
    static func percent(_ proportion: Double, decimals: Int = 1) -> String {
        number(proportion * 100, decimals: decimals) + "%"
    }

    /// `x,y x,y …` for `points` and `polyline`.
    static func points(_ points: [(x: Double, y: Double)]) -> String {
        points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
    }
}
