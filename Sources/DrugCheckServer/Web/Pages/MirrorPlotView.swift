/// The mirror plot of one spectrum view (measured up, library down), as inline SVG.
enum MirrorPlotView {
    static func svg(_ view: EvidenceViews.SpectrumView) -> String { "" }
}
