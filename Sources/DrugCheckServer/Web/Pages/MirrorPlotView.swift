/// The mirror plot of one spectrum view: the measured spectrum up, the library spectrum it
/// matched down; without a library match, the measured spectrum alone.
enum MirrorPlotView {
    static func svg(_ view: EvidenceViews.SpectrumView) -> String {
        let hit = view.identification?.hits.first
        return MirrorPlot(measured: MirrorPlot.peaks(of: view.measured), library: view.libraryMatch.map { MirrorPlot.peaks(of: $0.spectrum) } ?? [],
                          title: "\(view.name) vs \(hit?.name ?? "library")", measuredLabel: view.name,
                          libraryLabel: view.libraryMatch.map { "\($0.name) (\($0.library))" } ?? "no library match",
                          caption: hit.map { "\($0.name), score \(String(format: "%.3f", $0.score)), \($0.matchedPeaks) matched peaks" } ?? "").svg()
    }
}
