/// Draws one ``PrevalenceSeries`` as a line with its confidence band into an ``SVGWriter``:
/// y from 0 to a given maximum, weeks evenly spaced on x, a gap wherever a week had no samples,
/// and per week a transparent column whose `<title>` gives the week, value, interval and n.
/// ``SmallMultiples`` draws a grid of small ones, ``TrendChart`` one large one.
///
/// ```swift
/// var svg = SVGWriter(width: 280, height: 170, className: "trend", title: "Fentanyl")
/// PrevalencePanel(series: series, layout: .small, yMaximum: 0.5).draw(into: &svg, x: 0, y: 0)
/// ```
struct PrevalencePanel {
    /// Sizes and tick counts of a panel.
    struct Layout {
        var width: Double, height: Double
        var left: Double, right: Double, top: Double, bottom: Double
        var fontSize: Double
        /// Horizontal grid lines above 0.
        var yIntervals: Int
        /// Week labels along x at most.
        var weekLabels: Int

        static let small = Layout(width: 280, height: 170, left: 42, right: 12, top: 24, bottom: 28,
                                  fontSize: 11, yIntervals: 2, weekLabels: 3)
        static let large = Layout(width: 760, height: 340, left: 52, right: 24, top: 30, bottom: 36,
                                  fontSize: 13, yIntervals: 4, weekLabels: 7)

        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    var series: PrevalenceSeries
    var layout: Layout
    /// The proportion at the top of the y axis (0–1].
    var yMaximum: Double
    var words = PrevalenceWords()

    func draw(into svg: inout SVGWriter, x: Double, y: Double) {
        let l = layout, points = series.points, runs = series.runs
        svg.open("g", ["class": "panel", "transform": "translate(\(SVGWriter.number(x)),\(SVGWriter.number(y)))"])
        svg.element("text", ["x": SVGWriter.number(l.left), "y": SVGWriter.number(l.fontSize + 4), "class": "panel-title",
                             "font-size": SVGWriter.number(l.fontSize + 1), "font-weight": "bold", "fill": ChartColour.ink],
                    text: series.label)
        drawAxes(into: &svg)
        for run in runs {
            let upper = run.map { (x: xPosition($0), y: yPosition(points[$0].band!.upper)) }
            let lower = run.reversed().map { (x: xPosition($0), y: yPosition(points[$0].band!.lower)) }
            // A lone week gets a narrow band so its interval stays visible.
            let band = run.count > 1 ? upper + lower
                : [(x: upper[0].x - 2, y: upper[0].y), (x: upper[0].x + 2, y: upper[0].y),
                   (x: lower[0].x + 2, y: lower[0].y), (x: lower[0].x - 2, y: lower[0].y)]
            svg.element("polygon", ["class": "band", "points": SVGWriter.points(band), "fill": ChartColour.accent,
                                    "fill-opacity": "0.2", "stroke": "none"])
            let line = run.map { (x: xPosition($0), y: yPosition(points[$0].value!)) }
            svg.element("polyline", ["class": "line", "points": SVGWriter.points(line), "fill": "none",
                                     "stroke": ChartColour.accent, "stroke-width": "2"])
            for point in line {
                svg.element("circle", ["class": "dot", "cx": SVGWriter.number(point.x), "cy": SVGWriter.number(point.y),
                                       "r": "2.5", "fill": ChartColour.accent])
            }
        }
        if runs.isEmpty {
            svg.element("text", ["x": SVGWriter.number(l.left + l.plotWidth / 2), "y": SVGWriter.number(l.top + l.plotHeight / 2),
                                 "text-anchor": "middle", "font-size": SVGWriter.number(l.fontSize), "fill": ChartColour.muted],
                        text: words.noSamples)
        }
        let column = points.count > 1 ? l.plotWidth / Double(points.count - 1) : l.plotWidth
        for i in points.indices {
            svg.element("rect", ["class": points[i].value == nil ? "week gap" : "week",
                                 "x": SVGWriter.number(xPosition(i) - column / 2), "y": SVGWriter.number(l.top),
                                 "width": SVGWriter.number(column), "height": SVGWriter.number(l.plotHeight),
                                 "fill": "transparent"],
                        tooltip: points[i].tooltip(words))
        }
        svg.close()
    }

    /// Grid lines with percentage labels, the baseline, and a few week labels.
    private func drawAxes(into svg: inout SVGWriter) {
        let l = layout, font = SVGWriter.number(l.fontSize - 1)
        for step in 0...l.yIntervals {
            let value = yMaximum * Double(step) / Double(l.yIntervals), y = yPosition(value)
            svg.element("line", ["class": step == 0 ? "axis" : "grid", "x1": SVGWriter.number(l.left),
                                 "x2": SVGWriter.number(l.left + l.plotWidth), "y1": SVGWriter.number(y), "y2": SVGWriter.number(y),
                                 "stroke": step == 0 ? ChartColour.ink : ChartColour.grid, "stroke-width": "1"])
            svg.element("text", ["class": "tick", "x": SVGWriter.number(l.left - 4), "y": SVGWriter.number(y + 4),
                                 "text-anchor": "end", "font-size": font, "fill": ChartColour.muted],
                        text: SVGWriter.percent(value))
        }
        let count = series.points.count
        guard count > 0 else { return }
        // Evenly spread over the weeks, first and last included.
        let labels = min(max(l.weekLabels, 2), count)
        let indices = labels < 2 ? [0] : (0..<labels).map { Int((Double($0 * (count - 1)) / Double(labels - 1)).rounded()) }
        for i in indices {
            // The first label hangs right and one on the last week hangs left, to stay inside the panel.
            let anchor = count == 1 ? "middle" : i == 0 ? "start" : i == count - 1 ? "end" : "middle"
            svg.element("text", ["class": "tick", "x": SVGWriter.number(xPosition(i)),
                                 "y": SVGWriter.number(l.top + l.plotHeight + l.fontSize + 4), "text-anchor": anchor,
                                 "font-size": font, "fill": ChartColour.muted],
                        text: series.points[i].week)
        }
    }

    private func xPosition(_ index: Int) -> Double {
        let count = series.points.count
        guard count > 1 else { return layout.left + layout.plotWidth / 2 }
        return layout.left + layout.plotWidth * Double(index) / Double(count - 1)
    }

    private func yPosition(_ proportion: Double) -> Double {
        layout.top + layout.plotHeight * (1 - min(max(proportion / yMaximum, 0), 1))
    }
}
