/// Small multiples of weekly prevalence: one panel per stratum (drug class, region…), laid out
/// in a grid, all on the same y scale so panels compare at a glance. Each panel shows the line,
/// its confidence band, gaps for weeks without samples and a tooltip per week with n.
///
/// ```swift
/// let chart = SmallMultiples(series: classes.map { PrevalenceSeries(label: $0.name, points: $0.weeks) },
///                            title: "Prevalence per class, last 12 weeks, 95% Wilson band")
/// let markup = chart.svg() // <svg class="small-multiples" role="img" …>
/// ```
struct SmallMultiples: Sendable {
    var series: [PrevalenceSeries]
    /// The accessible name (`<title>`, `aria-label`) of the chart.
    var title: String
    var words = PrevalenceWords()
    var columns: Int = 3

    func svg() -> String {
        let layout = PrevalencePanel.Layout.small
        let columns = max(1, min(self.columns, series.count))
        let rows = max(1, (series.count + columns - 1) / columns)
        var svg = SVGWriter(width: layout.width * Double(columns), height: layout.height * Double(rows),
                            className: "small-multiples", title: title)
        let yMaximum = PrevalenceSeries.sharedMaximum(series)
        for (i, stratum) in series.enumerated() {
            PrevalencePanel(series: stratum, layout: layout, yMaximum: yMaximum, words: words)
                .draw(into: &svg, x: layout.width * Double(i % columns), y: layout.height * Double(i / columns))
        }
        return svg.finish()
    }
}
