/// The charts' colours, all on a white background: text colours reach at least 4.5:1 contrast
/// (WCAG 2.1 AA; ink 16.6:1, muted 7.6:1, accent 6.7:1, library 9.3:1), and measured vs library
/// peaks differ in lightness and direction as well as hue.
///
/// ```swift
/// svg.element("text", ["fill": ChartColour.muted], text: "n = 12")
/// ChartColour.sequential[4] // "#bd0026", the highest map class
/// ```
enum ChartColour {
    /// Text and axes.
    static let ink = "#1b1f24"
    /// Secondary text, tick labels, hatching.
    static let muted = "#4a5560"
    /// Grid lines (never text).
    static let grid = "#c9d1d9"
    /// Prevalence lines and measured peaks.
    static let accent = "#0b5cad"
    /// Library peaks.
    static let library = "#8a1c1c"
    /// Regions without data (a fill, never text).
    static let noData = "#d9dde1"

    /// ColorBrewer 2.0 "YlOrRd", 5 classes, lightest first: sequential and colour-blind safe
    /// (Cynthia Brewer, Mark Harrower, The Pennsylvania State University; colorbrewer2.org,
    /// Apache-2.0 licensed colour specifications). Used for fills only; legend text stays `ink`.
    static let sequential = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
}
