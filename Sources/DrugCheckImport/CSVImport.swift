import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation
import Synchronization

extension ImportPipeline {
    /// A findings CSV streamed into one batch: each sample is classified and written as soon as
    /// its rows are read, so memory does not grow with the file. Parsing goes on after the first
    /// problem (nothing more is written) so that the rejection lists every problem; the batch's
    /// transaction then rolls back.
    func storeCSV(_ url: URL, _ receipt: BatchReceipt, head: Data, options: ImportOptions, amending: Amendment?,
                  progress: ImportProgress.Tracker?) throws -> StoredBatch {
        do {
            return try storeCSV(url, receipt, options: options, encoding: TextDecoding.announced(by: head), amending: amending, progress: progress)
        } catch is TextDecoding.NotUTF8 {
            // Spreadsheets on Windows write Windows-1252: read the whole file again that way.
            return try storeCSV(url, receipt, options: options, encoding: .windows1252, amending: amending, progress: progress)
        }
    }

    private func storeCSV(_ url: URL, _ receipt: BatchReceipt, options: ImportOptions, encoding: TextDecoding.Encoding,
                          amending: Amendment?, progress: ImportProgress.Tracker?) throws -> StoredBatch {
        try store.importBatch(receipt, waitLimit: waitLimit) { batch in
            let stream = try FindingsCSVReader().stream(file: url, options: options, encoding: encoding)
            // Parsing, name resolution and classification run on a second thread while this one writes.
            let reading = CSVReading(stream: stream, pipeline: self, progress: progress)
            let thread = Thread { reading.run() }
            thread.stackSize = 1 << 22
            thread.start()
            defer {
                reading.samples.close()
                reading.waitUntilFinished()
            }
            var disagreements = ProblemList(limit: FindingsCSVReader().maxProblems)
            var merged: [Int64] = []
            while let chunk = reading.samples.take() {
                for item in chunk where disagreements.isEmpty {
                    do {
                        try amending?.check(item.sample, line: item.line, in: batch)
                        let written = try batch.write(item.sample, line: item.line, classification: item.classification)
                        if written.merged { merged.append(written.id) }
                    } catch let d as SampleDisagreement {
                        let earlier = d.firstLine.map { "on line \($0)" } ?? "earlier in the file"
                        disagreements.add(ImportProblem(line: item.line, column: 1, message:
                            "sample '\(item.sample.labSampleID)': \(d.field) '\(d.given)' differs from '\(d.stored)' \(earlier)"))
                        reading.stopClassifying()
                    }
                }
            }
            reading.waitUntilFinished()
            if let error = reading.error { throw error }
            let problems = (stream.problems + disagreements.all).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
            guard problems.isEmpty else { throw ImportRejection(problems) }
            guard batch.sampleCount > 0 else { throw ImportRejection(line: 2, column: 1, "no data rows: expected at least one row after the header") }
            for id in Set(merged) { try batch.reclassify(id, with: classifier.classification(of:)) }
            let notes = stream.notes + reading.unmatched.notes
            let id = try batch.finish(notes: notes)
            progress?.finish(rows: stream.rows)
            return StoredBatch(batchID: id, samples: batch.sampleCount, findings: batch.findingCount,
                               unmatched: reading.unmatched, notes: notes, amended: batch.amendedSamples.sorted())
        }
    }
}

/// The reading side of a CSV import: samples read, resolved and classified in chunks, handed to
/// the writing thread. After the first problem it only parses on (to list every problem).
final class CSVReading: @unchecked Sendable {
    struct ReadSample {
        var sample: Sample
        var line: Int
        var classification: SampleClassification?
    }

    let samples = HandOff<[ReadSample]>(capacity: 16)
    private let condition = NSCondition()
    private var finished = false
    private(set) var error: Error?
    private(set) var unmatched = ImportPipeline.Unmatched()
    private let stream: FindingsCSVStream
    private let pipeline: ImportPipeline
    private let progress: ImportProgress.Tracker?
    private let stopped = Atomic<Bool>(false)

    init(stream: FindingsCSVStream, pipeline: ImportPipeline, progress: ImportProgress.Tracker?) {
        self.stream = stream
        self.pipeline = pipeline
        self.progress = progress
    }

    /// The writer found a problem: nothing more will be written, so nothing more needs classifying.
    func stopClassifying() { stopped.store(true, ordering: .relaxed) }

    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    func run() {
        defer {
            samples.close()
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        var chunk: [ReadSample] = []
        chunk.reserveCapacity(256)
        do {
            while let (sample, line) = try stream.nextSample() {
                progress?.advance(to: stream.bytesRead, rows: stream.rows)
                guard stream.problems.isEmpty, !stopped.load(ordering: .relaxed) else { continue }
                let resolved = pipeline.resolve(sample, &unmatched)
                chunk.append(ReadSample(sample: resolved, line: line, classification: pipeline.classifier.classification(of: resolved)))
                if chunk.count == 256 {
                    guard samples.put(chunk) else { return }
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { _ = samples.put(chunk) }
        } catch {
            self.error = error
        }
    }
}
