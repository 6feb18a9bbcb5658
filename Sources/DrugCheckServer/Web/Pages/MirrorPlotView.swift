/// The mirror plot of one spectrum view: the measured spectrum up, the library spectrum it
/// matched down; without a library match, the measured spectrum alone. Labels in the page's language.
enum MirrorPlotView {
    static func svg(_ view: EvidenceViews.SpectrumView, say: (String) -> String) -> String {
        let hit = view.identification?.hits.first
        let caption = hit.map { "\($0.name), \(say("match_score")) \(String(format: "%.3f", $0.score)), \($0.matchedPeaks) \(say("matched_peaks"))" } ?? ""
        return MirrorPlot(measured: MirrorPlot.peaks(of: view.measured), library: view.libraryMatch.map { MirrorPlot.peaks(of: $0.spectrum) } ?? [],
                          title: "\(view.name) — \(hit?.name ?? say("no_library_match"))", measuredLabel: view.name,
                          libraryLabel: view.libraryMatch.map { "\($0.name) (\($0.library))" } ?? say("no_library_match"),
                          caption: caption).svg()
    }
}
