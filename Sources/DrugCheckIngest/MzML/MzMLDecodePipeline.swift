import Foundation

/// Decodes the binary arrays of mzML records on other threads while the parser reads on, and
/// hands the finished records back in document order.
///
/// Worker threads (one per core left besides the parsing and read-ahead threads, at least one and
/// at most ``maxWorkers``; so one on a two-core machine) decode ``MzMLPendingRecord``s; the
/// parsing thread submits and collects. Records travel in numbered batches of up to
/// ``batchRecords`` (or ``batchBytes`` of base64), so the threads meet once per batch rather
/// than once per spectrum, and batches finished out of turn wait until those before them are
/// delivered. At most
/// ``maxRecords`` records or ``maxBytes`` of base64 are queued at once (sending more waits for
/// the workers), so memory stays bounded whatever the file size. All shared state sits behind one
/// `NSCondition`; records cross threads as `Sendable` values.
///
/// ```swift
/// let pipeline = MzMLDecodePipeline(file: "run.mzML")
/// defer { pipeline.close() }
/// try pipeline.submit(pending) { record in print(record.id) }
/// try pipeline.finish { record in print(record.id) }
/// ```
final class MzMLDecodePipeline: @unchecked Sendable {
    static let maxRecords = 64
    static let maxBytes = 32 << 20
    static let batchRecords = 16
    static let batchBytes = 1 << 20
    static let maxWorkers = 3

    /// Workers for this machine: the cores left besides the parsing and read-ahead threads, at least one.
    static var defaultWorkers: Int { max(1, min(maxWorkers, ProcessInfo.processInfo.activeProcessorCount - 2)) }

    private struct Batch {
        var number: Int
        var records: [MzMLPendingRecord]
        var bytes: Int
    }

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var jobs: [Batch] = []
    /// Decoded batches by number, until their turn to be delivered.
    private var finished: [Int: [Result<MzMLRecord, ImportRejection>]] = [:]
    private var inFlight = 0
    private var inFlightBytes = 0
    private var closed = false
    private let exited = DispatchSemaphore(value: 0)
    private let workers: Int
    // Touched by the parsing thread only:
    private var batch: [MzMLPendingRecord] = []
    private var batchBytes = 0
    private var sent = 0
    private var delivered = 0
    /// Set once a delivery threw: nothing after it is delivered.
    private var stopped = false

    init(file: String, workers: Int = MzMLDecodePipeline.defaultWorkers) {
        self.workers = max(1, workers)
        for _ in 0..<self.workers {
            let thread = Thread { [self] in
                work(file: file)
                exited.signal()
            }
            thread.name = "mzML decoder"
            thread.start()
        }
    }

    /// Queues `record` for decoding and delivers every record already decoded. Waits while the
    /// pipeline is full. Throws the first decoding error, in document order.
    func submit(_ record: MzMLPendingRecord, deliver: (MzMLRecord) throws -> Void) throws {
        batchBytes += record.base64Bytes
        batch.append(record)
        guard batch.count >= Self.batchRecords || batchBytes >= Self.batchBytes else { return }
        send()
        try drain(waitForAll: false, deliver: deliver)
    }

    /// Waits for every submitted record and delivers them in order.
    func finish(deliver: (MzMLRecord) throws -> Void) throws {
        send()
        try drain(waitForAll: true, deliver: deliver)
    }

    /// Stops the workers (dropping queued work) and waits for them to exit. Call exactly once.
    func close() {
        condition.lock()
        closed = true
        jobs.removeAll()
        condition.broadcast()
        condition.unlock()
        for _ in 0..<workers { exited.wait() }
    }

    /// Hands the current batch to the workers.
    private func send() {
        guard !batch.isEmpty else { return }
        condition.lock()
        while inFlight > 0, inFlight + batch.count > Self.maxRecords || inFlightBytes + batchBytes > Self.maxBytes {
            condition.wait()
        }
        jobs.append(Batch(number: sent, records: batch, bytes: batchBytes))
        sent += 1
        inFlight += batch.count
        inFlightBytes += batchBytes
        condition.broadcast()
        condition.unlock()
        batch.removeAll(keepingCapacity: true)
        batchBytes = 0
    }

    private func drain(waitForAll: Bool, deliver: (MzMLRecord) throws -> Void) throws {
        while !stopped {
            condition.lock()
            while waitForAll, delivered < sent, finished[delivered] == nil { condition.wait() }
            let ready = finished.removeValue(forKey: delivered)
            condition.unlock()
            guard let ready else { return }
            delivered += 1
            do {
                for result in ready { try deliver(result.get()) }
            } catch {
                stopped = true
                throw error
            }
        }
    }

    private func work(file: String) {
        let decoder = BinaryArrayDecoder()
        while true {
            condition.lock()
            while jobs.isEmpty, !closed { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            let done = job.records.map { record in
                Result { () throws(ImportRejection) in try record.decode(with: decoder, file: file) }
            }
            condition.lock()
            finished[job.number] = done
            inFlight -= done.count
            inFlightBytes -= job.bytes
            condition.broadcast()
            condition.unlock()
        }
    }
}
