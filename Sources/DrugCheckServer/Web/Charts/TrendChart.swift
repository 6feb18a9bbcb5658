/// One large prevalence chart, typically 52 weeks of one class: the line, its confidence band,
/// gaps for weeks without samples and a tooltip per week with n; the y axis ends at the smallest
/// of 5, 10, 20, 30, 50, 75 and 100% that holds the band.
///
/// ```swift
/// let points = report.trend.filter { $0.reportClass == .nitazene }.map(PrevalencePoint.init)
/// let markup = TrendChart(series: PrevalenceSeries(label: "nitazene", points: points),
///                         title: "Nitazene prevalence, 52 weeks").svg() // <svg class="trend" …>
/// ```
struct TrendChart: Sendable {
    var series: PrevalenceSeries
    /// The accessible name (`<title>`, `aria-label`) of the chart.
    var title: String
    var words = PrevalenceWords()

    func svg() -> String {
        let layout = PrevalencePanel.Layout.large
        var svg = SVGWriter(width: layout.width, height: layout.height, className: "trend", title: title)
        PrevalencePanel(series: series, layout: layout, yMaximum: PrevalenceSeries.sharedMaximum([series]), words: words)
            .draw(into: &svg, x: 0, y: 0)
        return svg.finish()
    }
}
