import DrugCheckImport
import DrugCheckModel
import DrugCheckServer
import DrugCheckStore
import Foundation

/// The ministry pages right after new data: what a reader waits for when an import lands while
/// the server runs (the refresher renders what was being read again, ahead of the reader).
extension BenchPages {
    struct AfterImport {
        /// From the import's commit until the refresher stopped rendering.
        var refreshSeconds: Double
        var refreshed: Int
    }

    /// Imports one sample of `week` (lab `BENCH-NEW`, a new id each run: the database keeps it)
    /// and waits until the server's refresher has rendered and stayed quiet for a second.
    static func importOneSample(_ store: any ImportStore, week: ISOWeek, metrics: ServerMetrics) async throws -> AfterImport {
        let id = "BENCH-\(UUID().uuidString.prefix(8))"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-bench-\(id).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("""
            lab,sample_id,sample_type,source,sold_as,description,collected_on,region,technique,instrument,analysed_on,substance,detected,concentration,unit,rt_min,mz,match_score
            BENCH-NEW,\(id),powder,drug_checking,cocaine,,\(week.monday),BE100,GC-MS,,\(week.monday),cocaine,true,,,,,

            """.utf8).write(to: file)
        let before = metrics.renders(cause: "refresh")
        let started = Date()
        let result = try await withCheckedThrowingContinuation { done in
            // Off the event loops, where the server's tasks run: a PostgreSQL import waits for its answers.
            DispatchQueue.global().async { done.resume(with: Result { try ImportPipeline.standard(store: store, observers: []).importFile(at: file, options: .init()) }) }
        }
        guard result.outcome == .imported else { throw BenchPagesError("the benchmark's one-sample import was rejected: \(result)") }
        var (last, quietSince) = (before, Date())
        while last == before || Date().timeIntervalSince(quietSince) < 1 {
            guard Date().timeIntervalSince(started) < 120 else { throw BenchPagesError("the server rendered nothing ahead within 120 s of the import") }
            try await Task.sleep(for: .milliseconds(20))
            let now = metrics.renders(cause: "refresh")
            if now != last { (last, quietSince) = (now, Date()) }
        }
        return AfterImport(refreshSeconds: quietSince.timeIntervalSince(started), refreshed: last - before)
    }
}
