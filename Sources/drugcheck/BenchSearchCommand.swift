import ArgumentParser
import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation

/// `drugcheck bench search LIBRARY QUERIES`: indexed CosineGreedy top-k search over the MSP files
/// written by `../shared/bench/gen_library.py`, with the figures `peers_search.py` prints.
///
/// ```
/// drugcheck bench search data/library_50000.msp data/queries_2000.msp --top 5 --check 200
/// ```
struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Build the fragment index, search every query (CosineGreedy 0.01 Da, open search); print build time, queries/s, top-1 accuracy."
    )

    @Argument(help: "Library MSP (gen_library.py).") var library: String
    @Argument(help: "Query MSP (gen_library.py); 'Comment: source_id=…' is the truth.") var queries: String
    @Option(name: .long, help: "Hits per query.") var top: Int = 5
    @Option(name: .long, help: "Fragment tolerance in Da.") var tolerance: Double = 0.01
    @Option(name: .long, help: "Also run the exhaustive search on the first N queries and compare the hits.") var check: Int = 0
    @Option(name: .long, help: "Write 'query<TAB>hit ids' lines here.") var hitsOut: String?

    func run() throws {
        let parseStart = ContinuousClock.now
        let lib = try MSPReader().read(file: URL(fileURLWithPath: library))
        let qs = try MSPReader().read(file: URL(fileURLWithPath: queries))
        let parse = seconds(since: parseStart)
        let buildStart = ContinuousClock.now
        let index = SpectralIndex(library: lib, cosine: CosineGreedy(tolerance: .da(tolerance)))
        let build = seconds(since: buildStart)
        let searchStart = ContinuousClock.now
        let hits = qs.map { index.search($0, top: top) }
        let search = seconds(since: searchStart)

        // Queries made from a library entry say so as 'Comment: source_id=ID'; unrelated queries have an empty id.
        var known = 0, correct = 0, inTop = 0
        for (q, h) in zip(qs, hits) {
            guard let comment = q.metadata[SpectrumMetadataKey.comment], comment.hasPrefix("source_id=") else { continue }
            let truth = String(comment.dropFirst("source_id=".count))
            guard !truth.isEmpty else { continue }
            known += 1
            if let first = h.first, lib[first.entry].id == truth { correct += 1 }
            if h.contains(where: { lib[$0.entry].id == truth }) { inTop += 1 }
        }
        print("library \(lib.count) spectra, \(qs.count) queries; MSP parse \(String(format: "%.2f", parse)) s")
        print("index build \(String(format: "%.3f", build)) s")
        print("search top-\(top): \(String(format: "%.3f", search)) s, \(String(format: "%.0f", Double(qs.count) / search)) queries/s")
        print("top-1 = true source: \(correct)/\(known) = \(String(format: "%.4f", Double(correct) / Double(max(known, 1)))) "
            + "(queries with a known source); true source in top-\(top): \(inTop)/\(known)")
        if check > 0 {
            let n = min(check, qs.count)
            let same = (0..<n).filter { index.exhaustiveSearch(qs[$0], top: top) == hits[$0] }.count
            print("exhaustive check: identical top-\(top) hits for \(same)/\(n) queries")
        }
        if let hitsOut {
            let lines = zip(qs, hits).map { q, h in
                q.id + "\t" + h.map { "\(lib[$0.entry].id):\(String(format: "%.6f", $0.score))" }.joined(separator: ",")
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: hitsOut, atomically: true, encoding: .utf8)
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = start.duration(to: .now)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
