import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import Foundation

/// The identification evidence of a sample's spectra for its page: what DrugCheck concluded
/// (level, class, best library hit) and the measured spectrum beside the library spectrum it
/// matched (mirror plot). The bundled library is read once per process: at start when the server
/// renders ahead (``CacheRefresher``; ~100 ms, a first sample page's cost before), else when a first
/// sample page needs it. Libraries stored in the database are read when a hit names one of them.
struct EvidenceViews: Sendable {
    let database: ServerDatabase
    /// Static, so loaded lazily and once per process (nil if the bundle is broken: plots then show no library side).
    static let reference: ReferenceData? = try? ReferenceData.load()

    struct SpectrumView: Sendable {
        var name: String
        var identification: SpectrumIdentification?
        var measured: Spectrum
        var libraryMatch: LibraryEntry?
    }

    /// The sample's spectra as page values; `say` gives the page's words by key.
    func spectra(sampleRowID: Int64, say: (String) -> String) async throws -> [[String: Any]] {
        let (database, reference) = (database, Self.reference)
        let views = try await Blocking.run { () -> [SpectrumView] in
            let stored = try database.writer.spectrumEvidence(sampleRowID: sampleRowID)
            var library = reference?.library
            return try stored.map { evidence in
                let identification = evidence.identificationJSON.flatMap { try? JSONDecoder().decode(SpectrumIdentification.self, from: Data($0.utf8)) }
                let best = identification?.hits.first
                var match = best.flatMap { hit in library?.entries.first { $0.name == hit.name && $0.library == hit.library } }
                if match == nil, let hit = best, let reference {
                    library = try reference.library(adding: SpectralLibraryStore(store: database.writer))
                    match = library?.entries.first { $0.name == hit.name && $0.library == hit.library }
                }
                return SpectrumView(name: evidence.spectrum.spectrum.name ?? evidence.spectrum.spectrum.id,
                                    identification: identification, measured: evidence.spectrum.spectrum, libraryMatch: match)
            }
        }
        return views.map { view in
            let id = view.identification
            let hit = id?.hits.first
            return [
                "name": view.name, "identified": id != nil, "substance": id?.substance ?? id?.name ?? "",
                "class": id?.substanceClass.rawValue ?? "", "level": id?.level?.rawValue ?? "", "category": id?.swgdrugCategory.rawValue ?? "",
                "basis": id?.basis ?? "", "hit": hit?.name ?? "", "score": hit.map { String(format: "%.3f", $0.score) } ?? "",
                "matched_peaks": hit?.matchedPeaks ?? 0, "library": hit?.library ?? "", "source": hit?.source ?? "",
                "versions": id.map { "library \($0.libraryVersion), rules \($0.rulesVersion)" } ?? "",
                "plot": MirrorPlotView.svg(view, say: say),
            ]
        }
    }
}
