import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

extension ImportPipeline {
    /// A findings CSV streamed into one batch: each sample is classified and written as soon as
    /// its rows are read, so memory does not grow with the file. Parsing goes on after the first
    /// problem (nothing more is written) so that the rejection lists every problem; the batch's
    /// transaction then rolls back.
    func storeCSV(_ url: URL, _ receipt: BatchReceipt, options: ImportOptions, progress: ImportProgress.Tracker?) throws -> StoredBatch {
        do {
            return try storeCSV(url, receipt, options: options, encoding: .utf8, progress: progress)
        } catch is TextDecoding.NotUTF8 {
            // Spreadsheets on Windows write Windows-1252: read the whole file again that way.
            return try storeCSV(url, receipt, options: options, encoding: .windows1252, progress: progress)
        }
    }

    private func storeCSV(_ url: URL, _ receipt: BatchReceipt, options: ImportOptions, encoding: TextDecoding.Encoding,
                          progress: ImportProgress.Tracker?) throws -> StoredBatch {
        try database.importBatch(receipt, waitLimit: waitLimit) { batch in
            let stream = try FindingsCSVReader().stream(file: url, options: options, encoding: encoding == .utf8 ? TextDecoding.announced(by: Self.head(url)) : encoding)
            var disagreements = ProblemList(limit: 200)
            var unmatched = Set<String>()
            var merged: [Int64] = []
            var samples = 0
            while let (sample, line) = try stream.nextSample() {
                progress?.advance(to: stream.bytesRead, rows: stream.rows)
                guard stream.problems.isEmpty, disagreements.isEmpty else { continue }
                let resolved = classifier.resolveNames(in: sample)
                for name in classifier.unmatchedNames(in: resolved) { unmatched.insert(name) }
                do {
                    let written = try batch.write(resolved, line: line, classification: classifier.classify(resolved))
                    if written.merged { merged.append(written.id) }
                    samples += 1
                } catch let d as SampleDisagreement {
                    let earlier = d.firstLine.map { "on line \($0)" } ?? "earlier in the file"
                    disagreements.add(ImportProblem(line: line, column: 1, message:
                        "sample '\(sample.labSampleID)': \(d.field) '\(d.given)' differs from '\(d.stored)' \(earlier)"))
                }
            }
            let problems = (stream.problems + disagreements.all).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            guard problems.isEmpty else { throw ImportRejection(problems) }
            guard samples > 0 else { throw ImportRejection(line: 2, column: 1, "no data rows: expected at least one finding row after the header") }
            for id in Set(merged) { try batch.classify(id, as: classifier.classify(try batch.storedSample(id: id))) }
            let notes = stream.notes + Self.unmatchedNote(unmatched)
            let id = try batch.finish(notes: notes)
            progress?.finish(rows: stream.rows)
            return StoredBatch(batchID: id, samples: batch.sampleCount, findings: batch.findingCount, unmatched: unmatched.sorted(), notes: notes)
        }
    }

    private static func head(_ url: URL) -> Data {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return Data() }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 3)) ?? Data()
    }
}
