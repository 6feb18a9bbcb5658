import DrugCheckModel
import DrugCheckReports

/// A choropleth of prevalence per NUTS region of one country, with the reports' small-number rule
/// visible: a region with fewer samples than `suppressionThreshold` is hatched instead of coloured
/// ("too few samples" in the legend), a region without samples is grey ("no data"). Colours are
/// ColorBrewer YlOrRd in 5 classes (``ChartColour/sequential``). Every region is a `<path>` with
/// `data-region` (its NUTS code) and a `<title>` naming it with its value; the GISCO licence's
/// attribution is printed under the map.
///
/// ```swift
/// let map = ChoroplethMap(regions: report.cells.filter { $0.region != WeeklyReport.all }.map(ChoroplethMap.Region.init),
///                         title: "Fentanyl prevalence per province, 2026-W47")
/// let markup = try map.svg() // <svg class="choropleth" …><path data-region="BE21" …>
/// ```
struct ChoroplethMap: Sendable {
    /// One region's figures; `name` falls back on the outline's GISCO name.
    struct Region: Sendable, Equatable {
        var code: String
        var name: String?
        /// 0–1; nil when nothing was tested.
        var prevalence: Double?
        var tested: Int

        init(code: String, name: String? = nil, prevalence: Double?, tested: Int) {
            self.code = code
            self.name = name
            self.prevalence = prevalence
            self.tested = tested
        }

        /// A per-region cell of the weekly report.
        init(_ cell: WeeklyReport.Cell) {
            self.init(code: cell.region, name: cell.regionName, prevalence: cell.prevalence, tested: cell.tested)
        }
    }

    /// The words of the legend and tooltips, English by default.
    struct Texts: Sendable {
        var legendTitle = "Prevalence"
        var tooFewSamples = "too few samples"
        var noData = "no data"
        /// The GISCO licence requires it in the map legend, translated into the page's language.
        var attribution = "© EuroGeographics for the administrative boundaries"
    }

    /// The outlines hold no regions of `country` at `level`.
    struct UnknownMap: Error, CustomStringConvertible {
        var country: String
        var level: Int
        var description: String { "no outlines for \(country) at NUTS level \(level)" }
    }

    var regions: [Region]
    /// The accessible name (`<title>`, `aria-label`).
    var title: String
    var country = "BE"
    /// The deployment's reporting level: provinces (NUTS 2) by default.
    var level = RegionCatalogue.defaultLevel
    /// Regions with fewer samples are hatched, not coloured: the reports' `small_number` rule.
    var suppressionThreshold = WeeklyReport.smallNumberThreshold
    /// Upper bounds of the first four classes (exactly four, 0–1, ascending); nil: five equal classes up to
    /// the smallest of 5, 10, 20, 25, 50 and 100% that holds every coloured region.
    var classBreaks: [Double]?
    var texts = Texts()
    /// Prefix of the ids inside the SVG (the hatch pattern): distinct per map on one page.
    var idPrefix = "choropleth"
    var outlines = NUTSOutlines.bundled

    static let legendWidth = 360.0, fontSize = 22.0, rowHeight = 36.0, attributionHeight = 48.0

    func svg() throws -> String {
        let shapes = outlines.regions(country: country, level: level)
        guard let frame = outlines.frames[country.uppercased()], !shapes.isEmpty else {
            throw UnknownMap(country: country, level: level)
        }
        let figures = Dictionary(regions.map { ($0.code.uppercased(), $0) }, uniquingKeysWith: { first, _ in first })
        let breaks = classBreaks ?? defaultBreaks(figures.values.filter { isColoured($0) })
        precondition(breaks.count == ChartColour.sequential.count - 1, "ChoroplethMap: classBreaks needs four bounds")
        let mapWidth = Double(frame.width), mapHeight = Double(frame.height)
        let legendHeight = Self.rowHeight * Double(ChartColour.sequential.count + 3)
        var svg = SVGWriter(width: mapWidth + Self.legendWidth, height: max(mapHeight, legendHeight) + Self.attributionHeight,
                            className: "choropleth", title: title)
        let hatch = "\(idPrefix)-hatch"
        svg.open("defs", [:])
        svg.open("pattern", ["id": hatch, "patternUnits": "userSpaceOnUse", "width": "12", "height": "12",
                             "patternTransform": "rotate(45)"])
        svg.element("rect", ["width": "12", "height": "12", "fill": "#ffffff"])
        svg.element("line", ["x1": "0", "y1": "0", "x2": "0", "y2": "12", "stroke": ChartColour.muted, "stroke-width": "4"])
        svg.close()
        svg.close()

        svg.open("g", ["class": "regions", "stroke": ChartColour.muted, "stroke-width": "1", "stroke-linejoin": "round"])
        for shape in shapes {
            let figure = figures[shape.code]
            let name = figure?.name ?? shape.name
            let (fill, kind, tooltip): (String, String, String)
            if let figure, let value = figure.prevalence, isColoured(figure) {
                let index = Self.classIndex(value, breaks: breaks)
                (fill, kind, tooltip) = (ChartColour.sequential[index], "region class-\(index + 1)",
                                         "\(name): \(SVGWriter.percent(value)), n = \(figure.tested)")
            } else if let figure, figure.tested > 0 {
                (fill, kind, tooltip) = ("url(#\(hatch))", "region suppressed",
                                         "\(name): \(texts.tooFewSamples) (n = \(figure.tested))")
            } else {
                (fill, kind, tooltip) = (ChartColour.noData, "region no-data", "\(name): \(texts.noData)")
            }
            svg.element("path", ["class": kind, "data-region": shape.code, "d": shape.pathData, "fill": fill,
                                 "fill-rule": "evenodd"], tooltip: tooltip)
        }
        svg.close()
        drawLegend(into: &svg, x: mapWidth + 40, breaks: breaks, hatch: hatch)
        svg.element("text", ["class": "attribution", "x": "0", "y": SVGWriter.number(max(mapHeight, legendHeight) + 34),
                             "font-size": SVGWriter.number(Self.fontSize - 4), "fill": ChartColour.muted],
                    text: texts.attribution)
        return svg.finish()
    }

    /// The classes with their ranges, then the hatched and grey swatches.
    private func drawLegend(into svg: inout SVGWriter, x: Double, breaks: [Double], hatch: String) {
        svg.open("g", ["class": "legend", "font-size": SVGWriter.number(Self.fontSize), "fill": ChartColour.ink])
        svg.element("text", ["x": SVGWriter.number(x), "y": SVGWriter.number(Self.fontSize), "font-weight": "bold"],
                    text: texts.legendTitle)
        var rows: [(fill: String, label: String)] = ChartColour.sequential.indices.map { i in
            let label = i == breaks.count ? "≥ \(SVGWriter.percent(breaks[i - 1]))"
                : "\(SVGWriter.number((i == 0 ? 0 : breaks[i - 1]) * 100))–\(SVGWriter.percent(breaks[i]))"
            return (ChartColour.sequential[i], label)
        }
        rows.append(("url(#\(hatch))", "\(texts.tooFewSamples) (n < \(suppressionThreshold))"))
        rows.append((ChartColour.noData, texts.noData))
        for (i, row) in rows.enumerated() {
            let y = Self.rowHeight * Double(i + 1)
            svg.element("rect", ["x": SVGWriter.number(x), "y": SVGWriter.number(y), "width": "36", "height": "24",
                                 "fill": row.fill, "stroke": ChartColour.muted, "stroke-width": "1"])
            svg.element("text", ["x": SVGWriter.number(x + 46), "y": SVGWriter.number(y + 19)], text: row.label)
        }
        svg.close()
    }

    /// Enough samples to colour the region by its prevalence.
    private func isColoured(_ region: Region) -> Bool {
        region.tested >= max(suppressionThreshold, 1) && region.prevalence?.isFinite == true
    }

    private func defaultBreaks(_ coloured: [Region]) -> [Double] {
        let highest = coloured.compactMap(\.prevalence).max() ?? 0
        let top = [0.05, 0.1, 0.2, 0.25, 0.5, 1.0].first { $0 >= highest } ?? 1.0
        return (1..<ChartColour.sequential.count).map { top * Double($0) / Double(ChartColour.sequential.count) }
    }

    /// The class of `value`: the first whose upper bound exceeds it, else the last.
    static func classIndex(_ value: Double, breaks: [Double]) -> Int {
        min(breaks.firstIndex { value < $0 } ?? breaks.count, ChartColour.sequential.count - 1)
    }
}
