@testable import DrugCheckServer
import DrugCheckIngest
import DrugCheckModel
import DrugCheckReports
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// The server-side SVG charts, on real data from `../shared/refdata` (next to the repository):
/// MassBank spectra, the DrugCheckingBC fentanyl-strip results and GISCO's NUTS 2024 regions.
@Suite("Charts")
struct ChartTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A refdata file; fails (never skips) when it is missing.
    static func refdata(_ path: String) throws -> URL {
        let url = repository.appendingPathComponent("../shared/refdata/\(path)").standardizedFileURL
        try #require(FileManager.default.fileExists(atPath: url.path), "refdata missing: \(url.path)")
        return url
    }

    static let hostile = "Fentanyl <script>alert('x')</script> & co"

    // MARK: SVGWriter

    @Test func numbersAreCompactAndLocaleFree() {
        #expect(SVGWriter.number(12.5) == "12.5")
        #expect(SVGWriter.number(3.0) == "3")
        #expect(SVGWriter.number(-0.04) == "0")
        #expect(SVGWriter.number(-0.25, decimals: 2) == "-0.25")
        #expect(SVGWriter.number(1234567.891, decimals: 2) == "1234567.89")
        #expect(SVGWriter.number(.nan) == "0")
        #expect(SVGWriter.percent(0.125) == "12.5%")
    }

    @Test func textIsEscapedAndForbiddenCharactersDropped() throws {
        var svg = SVGWriter(width: 10, height: 10, className: "trend", title: "bell\u{7}\u{0}\u{FFFE} " + Self.hostile)
        svg.element("text", ["data-x": Self.hostile], text: Self.hostile)
        let parsed = try ParsedSVG(svg.finish())
        #expect(parsed.root.attributes["aria-label"] == "bell " + Self.hostile)
        #expect(parsed.all("text").first?.attributes["data-x"] == Self.hostile)
        #expect(parsed.all("text").first?.text == Self.hostile)
    }

    // MARK: Mirror plot

    /// A MassBank record (Eawag, Orbitrap HCD) against a MoNA library spectrum of fentanyl.
    @Test func mirrorPlotOfTwoRealFentanylSpectra() throws {
        let folder = "spectra/massbank/fentanyl/"
        let measured = try MassBankRecordReader().read(file: Self.refdata(folder + "MSBNK-Eawag-EQ364005.txt"))[0]
        let msp = try MSPReader().read(file: Self.refdata("spectra/esi_msp/FentanylHunter_Fentanyllibrary_noNIST.msp"))
        let library = try #require(msp.first { $0.id == "FDB261" }, "the MoNA fentanyl spectrum at 30 eV")
        try #require(measured.peakCount > 5 && library.peakCount > 5)
        let plot = MirrorPlot(measured: MirrorPlot.peaks(of: measured), library: MirrorPlot.peaks(of: library),
                              title: "Mirror plot: " + Self.hostile, measuredLabel: measured.id,
                              libraryLabel: "FentanylHunter " + library.id, caption: "\(Self.hostile): score 0.93")
        let markup = plot.svg()
        #expect(!markup.contains("<script"))
        #expect(markup.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; co"))
        let svg = try ParsedSVG(markup)
        #expect(svg.root.attributes["class"] == "mirror-plot")
        #expect(svg.root.attributes["role"] == "img")
        #expect(svg.all("text").contains { $0.attributes["class"] == "caption" && $0.text == "\(Self.hostile): score 0.93" })

        let zeroUp = MirrorPlot.y(0, direction: -1), zeroDown = MirrorPlot.y(0, direction: 1)
        for (side, spectrum, direction) in [("measured", measured, -1.0), ("library", library, 1.0)] {
            let peaks = svg.all("line", inside: side).filter { $0.attributes["class"] == "peak" }
            #expect(peaks.count == spectrum.intensity.filter { $0 > 0 }.count, "\(side): one line per peak")
            let tops = peaks.map { Double($0.attributes["y2"]!)! }
            // Measured peaks rise from the zero line, library peaks hang from it.
            #expect(tops.allSatisfy { direction < 0 ? $0 < zeroUp : $0 > zeroDown }, "\(side) direction")
            let tallest = try #require(peaks.max { Double($0.attributes["data-intensity"]!)! < Double($1.attributes["data-intensity"]!)! })
            #expect(tallest.attributes["data-intensity"] == "100")
            #expect(Double(tallest.attributes["y2"]!)! == (MirrorPlot.y(100, direction: direction) * 10).rounded() / 10)
            // The base peak is labelled with its m/z, and at most five labels per side.
            let labels = svg.all("text", inside: side).filter { $0.attributes["class"] == "peak-label" }
            #expect((1...5).contains(labels.count))
            let base = zip(spectrum.mz, spectrum.intensity).max { $0.1 < $1.1 }!.0
            #expect(labels.contains { $0.text == SVGWriter.number(base, decimals: 4) })
        }
        #expect(svg.all("text").contains { $0.attributes["class"] == "tick" && $0.text == "100%" })
    }

    // MARK: Small multiples and trend

    /// Weekly share of fentanyl-strip positives per expected substance in the DrugCheckingBC
    /// results (2018-06 to 2020-11), with Wilson intervals; weeks nobody brought the substance are empty.
    static func drugCheckingBC(_ substances: [String]) throws -> [PrevalenceSeries] {
        let text = try String(contentsOf: refdata("datasets/drugcheckingbc_full_data_2018-06_to_2020-11-04.csv"), encoding: .utf8)
        var counts: [String: [ISOWeek: (tested: Int, positive: Int)]] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: "\",\"", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
            guard fields.count >= 5, ["True", "False"].contains(fields[4]),
                  let date = CalendarDate(iso: fields[0]) else { continue }
            var cell = counts[fields[3], default: [:]][ISOWeek(containing: date), default: (0, 0)]
            cell.tested += 1
            cell.positive += fields[4] == "True" ? 1 : 0
            counts[fields[3], default: [:]][ISOWeek(containing: date)] = cell
        }
        let allWeeks = counts.values.flatMap(\.keys)
        let first = try #require(allWeeks.min()), last = try #require(allWeeks.max())
        return substances.map { substance in
            let points = (0...first.distance(to: last)).map { offset -> PrevalencePoint in
                let week = first.adding(weeks: offset)
                let c = counts[substance]?[week] ?? (0, 0)
                let (p, low, high) = WilsonInterval.prevalence(positive: c.positive, tested: c.tested)
                return PrevalencePoint(week: week, proportion: p, lower: low, upper: high, tested: c.tested)
            }
            return PrevalenceSeries(label: substance, points: points)
        }
    }

    @Test func smallMultiplesLeaveGapsAndKeepBandsInRange() throws {
        var series = try Self.drugCheckingBC(["Fentanyl", "Heroin", "Cocaine", "Methamphetamine", "MDMA", "Ketamine"])
        series[5].label = Self.hostile
        let gapWeeks = series.map { $0.points.filter { $0.tested == 0 }.count }
        #expect(gapWeeks[5] > 0, "Ketamine has weeks without samples")
        let svg = try ParsedSVG(SmallMultiples(series: series, title: "Fentanyl-strip positives per expected substance").svg())
        #expect(svg.root.attributes["class"] == "small-multiples")
        let panels = svg.all("g").filter { $0.attributes["class"] == "panel" }
        #expect(panels.count == series.count)
        let layout = PrevalencePanel.Layout.small
        for (index, stratum) in series.enumerated() {
            let panel = svg.children(of: panels[index])
            #expect(panel.first { $0.attributes["class"] == "panel-title" }?.text == stratum.label)
            // One line per run of weeks with samples: each gap week breaks the line.
            var runs = 0, previousHadSamples = false
            for point in stratum.points {
                if point.tested > 0 && !previousHadSamples { runs += 1 }
                previousHadSamples = point.tested > 0
            }
            let lines = panel.filter { $0.name == "polyline" }
            #expect(lines.count == runs, "\(stratum.label): \(runs) runs")
            let drawn = lines.map { $0.attributes["points"]!.split(separator: " ").count }.reduce(0, +)
            #expect(drawn == stratum.points.count - gapWeeks[index])
            #expect(panel.filter { $0.attributes["class"] == "week gap" }.count == gapWeeks[index])
            // One tooltip per week, with n.
            let weeks = panel.filter { $0.name == "rect" && $0.attributes["class"]?.hasPrefix("week") == true }
            #expect(weeks.count == stratum.points.count)
            #expect(weeks.allSatisfy { $0.title?.contains("n = ") == true })
            // Bands stay between 0% (the baseline) and 100% (at most the top of the plot).
            for band in panel where band.name == "polygon" {
                for pair in band.attributes["points"]!.split(separator: " ") {
                    let y = Double(pair.split(separator: ",")[1])!
                    #expect(y >= layout.top && y <= layout.top + layout.plotHeight)
                }
            }
        }
        for point in series.flatMap(\.points) {
            if let band = point.band, let value = point.value { #expect(0 <= band.lower && band.lower <= value && value <= band.upper && band.upper <= 1) }
        }
    }

    @Test func trendChartOf52Weeks() throws {
        let fentanyl = try #require(Self.drugCheckingBC(["Fentanyl"]).first)
        let series = PrevalenceSeries(label: "Fentanyl", points: Array(fentanyl.points.suffix(52)))
        let svg = try ParsedSVG(TrendChart(series: series, title: "Expected fentanyl: strip positives, 52 weeks").svg())
        #expect(svg.root.attributes["class"] == "trend")
        #expect(svg.root.attributes["aria-label"] == "Expected fentanyl: strip positives, 52 weeks")
        #expect(svg.all("title").first?.text == "Expected fentanyl: strip positives, 52 weeks")
        let weekLabels = svg.all("text").filter { $0.attributes["class"] == "tick" && $0.text.contains("-W") }
        #expect((3...7).contains(weekLabels.count))
        #expect(weekLabels.first?.text == series.points[0].week)
        #expect(svg.all("rect").filter { $0.attributes["class"]?.hasPrefix("week") == true }.count == 52)
    }

    // MARK: Choropleth

    /// NUTS codes per country and level in GISCO's file, read straight from refdata.
    static func refdataCodes(country: String, level: Int) throws -> Set<String> {
        let data = try Data(contentsOf: refdata("regions/NUTS_RG_20M_2024_3035.geojson"))
        let features = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["features"] as? [[String: Any]])
        return Set(features.compactMap { feature in
            let p = feature["properties"] as? [String: Any]
            return p?["CNTR_CODE"] as? String == country && p?["LEVL_CODE"] as? Int == level ? p?["NUTS_ID"] as? String : nil
        })
    }

    @Test(arguments: [2, 3])
    func choroplethOfBelgium(level: Int) throws {
        let codes = try Self.refdataCodes(country: "BE", level: level)
        #expect(codes.count == (level == 2 ? 11 : 44))
        let sorted = codes.sorted()
        // Every third region has too few samples, every fifth none; the rest get prevalences 0–40%.
        let regions = sorted.enumerated().compactMap { i, code -> ChoroplethMap.Region? in
            if i % 5 == 4 { return nil }
            let name = i == 0 ? Self.hostile : RegionCatalogue.bundled.name(of: code, in: "nl")
            return ChoroplethMap.Region(code: code, name: name, prevalence: Double(i % 9) / 20, tested: i % 3 == 2 ? 3 : 20 + i)
        }
        let markup = try ChoroplethMap(regions: regions, title: "Prevalence per region, NUTS \(level)", level: level).svg()
        #expect(!markup.contains("<script"))
        let svg = try ParsedSVG(markup)
        #expect(svg.root.attributes["class"] == "choropleth")
        #expect(svg.root.attributes["role"] == "img")
        let paths = svg.all("path")
        #expect(Set(paths.compactMap { $0.attributes["data-region"] }) == codes)
        #expect(paths.count == codes.count)

        let hatch = try #require(svg.all("pattern").first?.attributes["id"])
        for (i, code) in sorted.enumerated() {
            let path = try #require(paths.first { $0.attributes["data-region"] == code })
            #expect(path.attributes["d"]?.hasPrefix("M") == true && path.attributes["d"]?.hasSuffix("Z") == true)
            if i % 5 == 4 {
                #expect(path.attributes["fill"] == ChartColour.noData, "\(code): no data is grey")
                #expect(path.title?.hasSuffix(": no data") == true)
            } else if i % 3 == 2 {
                #expect(path.attributes["fill"] == "url(#\(hatch))", "\(code): suppressed is hatched")
                #expect(path.title?.contains("too few samples (n = 3)") == true)
            } else {
                #expect(ChartColour.sequential.contains(path.attributes["fill"] ?? ""), "\(code): coloured")
                #expect(path.title?.contains(SVGWriter.percent(Double(i % 9) / 20)) == true)
            }
        }
        #expect(paths.first { $0.attributes["data-region"] == sorted[0] }?.title?.hasPrefix(Self.hostile) == true)
        #expect(paths.first { $0.attributes["data-region"] == sorted[1] }?.title?.hasPrefix(RegionCatalogue.bundled.name(of: sorted[1], in: "nl")!) == true)
        let texts = svg.all("text").map(\.text)
        #expect(texts.contains("© EuroGeographics for the administrative boundaries"))
        #expect(texts.contains("too few samples (n < \(WeeklyReport.smallNumberThreshold))"))
        #expect(texts.contains("no data"))
        #expect(svg.all("rect", inside: "legend").filter { $0.attributes["fill"] == "url(#\(hatch))" }.count == 1)
    }

    @Test func bundledOutlinesMatchRefdataForTheNetherlandsAndLuxembourg() throws {
        for country in ["NL", "LU"] {
            for level in 1...3 {
                let bundled = Set(NUTSOutlines.bundled.regions(country: country, level: level).map(\.code))
                #expect(try bundled == Self.refdataCodes(country: country, level: level), "\(country) level \(level)")
            }
        }
        #expect(throws: ChoroplethMap.UnknownMap.self) { try ChoroplethMap(regions: [], title: "x", country: "DE").svg() }
    }
}

/// An SVG parsed with Foundation's `XMLParser`: fails on any XML error, keeps every element with
/// its attributes, text, `<title>` child and the classes of its ancestors.
final class ParsedSVG: NSObject, XMLParserDelegate {
    final class Element {
        let name: String
        let attributes: [String: String]
        let ancestors: [Element]
        var text = ""
        var title: String?
        init(name: String, attributes: [String: String], ancestors: [Element]) {
            self.name = name
            self.attributes = attributes
            self.ancestors = ancestors
        }
    }

    private(set) var elements: [Element] = []
    private var stack: [Element] = []

    init(_ markup: String) throws {
        super.init()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = self
        let ok = parser.parse()
        try #require(ok && parser.parserError == nil, "not well-formed XML: \(String(describing: parser.parserError))")
    }

    var root: Element { elements[0] }

    func all(_ name: String, inside ancestorClass: String? = nil) -> [Element] {
        elements.filter { element in
            element.name == name && (ancestorClass.map { c in element.ancestors.contains { $0.attributes["class"] == c } } ?? true)
        }
    }

    func children(of parent: Element) -> [Element] {
        elements.filter { $0.ancestors.contains { $0 === parent } }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        let element = Element(name: name, attributes: attributes, ancestors: stack)
        elements.append(element)
        stack.append(element)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        let element = stack.removeLast()
        if name == "title", let parent = stack.last { parent.title = element.text }
    }
}
