import DrugCheckModel

/// A mirror plot comparing a measured spectrum with the library spectrum it matched: measured
/// peaks point up, library peaks point down from a shared m/z axis, each side normalised to its
/// own base peak (= 100%), the most intense peaks labelled with their m/z, and the caption (match
/// score, library, compound…) printed above the plot.
///
/// ```swift
/// let plot = MirrorPlot(measured: MirrorPlot.peaks(of: sampleSpectrum), library: MirrorPlot.peaks(of: hit),
///                       title: "Fentanyl: measured vs library", measuredLabel: "Sample 2026-0412",
///                       libraryLabel: "MassBank MSBNK-Eawag-EQ364002", caption: "Fentanyl, score 0.93")
/// let markup = plot.svg() // <svg class="mirror-plot" …>
/// ```
struct MirrorPlot: Sendable {
    /// One peak: m/z and intensity in any unit (each side is normalised to its base peak).
    struct Peak: Sendable, Equatable {
        var mz: Double
        var intensity: Double
    }

    var measured: [Peak]
    var library: [Peak]
    /// The accessible name (`<title>`, `aria-label`).
    var title: String
    var measuredLabel: String
    var libraryLabel: String
    /// Printed above the plot: compound, library name, match score.
    var caption: String
    /// Peaks labelled with their m/z on each side, most intense first.
    var labelledPeaks = 5
    /// Decimals of the m/z labels and tooltips.
    var mzDecimals = 4

    static let width = 760.0, height = 420.0
    static let left = 56.0, right = 20.0, top = 60.0, bottom = 44.0
    static let fontSize = 12.0

    /// The peaks of a spectrum (centroided or profile points alike).
    static func peaks(of spectrum: Spectrum) -> [Peak] {
        zip(spectrum.mz, spectrum.intensity).map { Peak(mz: $0, intensity: $1) }
    }

    /// Peaks with a finite m/z and a positive intensity, scaled so the base peak is 100.
    static func normalised(_ peaks: [Peak]) -> [Peak] {
        let kept = peaks.filter { $0.mz.isFinite && $0.intensity.isFinite && $0.intensity > 0 }
        guard let base = kept.map(\.intensity).max() else { return [] }
        return kept.map { Peak(mz: $0.mz, intensity: $0.intensity / base * 100) }
    }

    func svg() -> String {
        let up = Self.normalised(measured), down = Self.normalised(library)
        let axis = MzAxis(peaks: up + down, width: Self.width - Self.left - Self.right, origin: Self.left)
        var svg = SVGWriter(width: Self.width, height: Self.height, className: "mirror-plot", title: title)
        svg.element("text", ["class": "caption", "x": SVGWriter.number(Self.left), "y": "20",
                             "font-size": SVGWriter.number(Self.fontSize + 1), "fill": ChartColour.ink], text: caption)
        drawFrame(into: &svg, axis: axis)
        draw(up, side: "measured", label: measuredLabel, colour: ChartColour.accent, direction: -1, axis: axis, into: &svg)
        draw(down, side: "library", label: libraryLabel, colour: ChartColour.library, direction: 1, axis: axis, into: &svg)
        return svg.finish()
    }

    /// The zero line, the intensity scale (100% at both ends) and the m/z ticks.
    private func drawFrame(into svg: inout SVGWriter, axis: MzAxis) {
        let font = SVGWriter.number(Self.fontSize - 1)
        let right = SVGWriter.number(Self.width - Self.right)
        for percent in [-100.0, -50, 0, 50, 100] {
            let y = Self.y(abs(percent), direction: percent < 0 ? 1 : -1)
            svg.element("line", ["class": percent == 0 ? "axis" : "grid", "x1": SVGWriter.number(Self.left), "x2": right,
                                 "y1": SVGWriter.number(y), "y2": SVGWriter.number(y),
                                 "stroke": percent == 0 ? ChartColour.ink : ChartColour.grid, "stroke-width": "1"])
            svg.element("text", ["class": "tick", "x": SVGWriter.number(Self.left - 6), "y": SVGWriter.number(y + 4),
                                 "text-anchor": "end", "font-size": font, "fill": ChartColour.muted],
                        text: SVGWriter.number(abs(percent)) + "%")
        }
        let baseline = Self.height - Self.bottom
        for tick in axis.ticks {
            let x = SVGWriter.number(axis.x(tick))
            svg.element("line", ["class": "tick", "x1": x, "x2": x, "y1": SVGWriter.number(baseline),
                                 "y2": SVGWriter.number(baseline + 4), "stroke": ChartColour.ink])
            svg.element("text", ["class": "tick", "x": x, "y": SVGWriter.number(baseline + 16), "text-anchor": "middle",
                                 "font-size": font, "fill": ChartColour.muted], text: SVGWriter.number(tick, decimals: 2))
        }
        svg.element("text", ["class": "axis-label", "x": SVGWriter.number(Self.left + (Self.width - Self.left - Self.right) / 2),
                             "y": SVGWriter.number(Self.height - 6), "text-anchor": "middle",
                             "font-size": SVGWriter.number(Self.fontSize), "fill": ChartColour.ink], text: "m/z")
    }

    /// One side's peaks as vertical lines from the zero line (`direction` −1 up, +1 down), a
    /// tooltip each, m/z labels on the tallest ones that do not crowd each other, and the side's name.
    private func draw(_ peaks: [Peak], side: String, label: String, colour: String, direction: Double,
                      axis: MzAxis, into svg: inout SVGWriter) {
        let zero = SVGWriter.number(Self.y(0, direction: direction))
        svg.open("g", ["class": side, "stroke": colour, "stroke-width": "1.5"])
        for peak in peaks {
            let x = SVGWriter.number(axis.x(peak.mz))
            svg.element("line", ["class": "peak", "x1": x, "x2": x, "y1": zero,
                                 "y2": SVGWriter.number(Self.y(peak.intensity, direction: direction)),
                                 "data-intensity": SVGWriter.number(peak.intensity, decimals: 2)],
                        tooltip: "m/z \(SVGWriter.number(peak.mz, decimals: mzDecimals)): \(SVGWriter.number(peak.intensity))%")
        }
        var labelled: [Double] = []
        for peak in peaks.sorted(by: { $0.intensity > $1.intensity }) where labelled.count < labelledPeaks {
            let x = axis.x(peak.mz)
            guard labelled.allSatisfy({ abs($0 - x) >= 48 }) else { continue }
            labelled.append(x)
            svg.element("text", ["class": "peak-label", "x": SVGWriter.number(x),
                                 "y": SVGWriter.number(Self.y(peak.intensity, direction: direction) + (direction < 0 ? -4 : 13)),
                                 "text-anchor": "middle", "font-size": SVGWriter.number(Self.fontSize - 1),
                                 "fill": colour, "stroke": "none"],
                        text: SVGWriter.number(peak.mz, decimals: mzDecimals))
        }
        // The sides' names share the line under the caption: ▲ measured on the left, ▼ library on the right.
        svg.element("text", ["class": "side-label", "x": SVGWriter.number(direction < 0 ? Self.left : Self.width - Self.right),
                             "y": "40", "text-anchor": direction < 0 ? "start" : "end",
                             "font-size": SVGWriter.number(Self.fontSize), "font-weight": "bold",
                             "fill": colour, "stroke": "none"], text: (direction < 0 ? "▲ " : "▼ ") + label)
        svg.close()
    }

    /// The y of `percent` (0–100) on the side going in `direction` (−1 up, +1 down).
    static func y(_ percent: Double, direction: Double) -> Double {
        let middle = top + (height - top - bottom) / 2
        let half = (height - top - bottom) / 2 - 16  // room for the m/z labels of 100% peaks
        return middle + direction * half * min(max(percent, 0), 100) / 100
    }
}
