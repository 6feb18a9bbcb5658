import Foundation

/// Decodes the binary arrays of mzML records on a second thread while the parser reads on, and
/// hands the finished records back in document order.
///
/// One worker thread decodes ``MzMLPendingRecord``s first in, first out; the parsing thread
/// submits and collects. Records travel in batches of up to ``batchRecords`` (or ``batchBytes``
/// of base64), so the threads meet once per batch rather than once per spectrum. At most
/// ``maxRecords`` records or ``maxBytes`` of base64 are queued at once (sending more waits for
/// the worker), so memory stays bounded whatever the file size. All shared state sits behind one
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

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var jobs: [MzMLPendingRecord] = []
    private var results: [Result<MzMLRecord, ImportRejection>] = []
    private var inFlight = 0
    private var inFlightBytes = 0
    private var closed = false
    private let exited = DispatchSemaphore(value: 0)
    // Touched by the parsing thread only:
    private var batch: [MzMLPendingRecord] = []
    private var batchBytes = 0
    /// Set once a delivery threw: nothing after it is delivered.
    private var stopped = false

    init(file: String) {
        let thread = Thread { [self] in
            work(file: file)
            exited.signal()
        }
        thread.name = "mzML decoder"
        thread.start()
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

    /// Stops the worker (dropping queued work) and waits for it to exit. Call exactly once.
    func close() {
        condition.lock()
        closed = true
        jobs.removeAll()
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }

    /// Hands the current batch to the worker.
    private func send() {
        guard !batch.isEmpty else { return }
        condition.lock()
        while inFlight > 0, inFlight + batch.count > Self.maxRecords || inFlightBytes + batchBytes > Self.maxBytes {
            condition.wait()
        }
        jobs.append(contentsOf: batch)
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
            while waitForAll, inFlight > 0, results.isEmpty { condition.wait() }
            let ready = results
            results.removeAll(keepingCapacity: true)
            condition.unlock()
            if ready.isEmpty { return }
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
        var taken: [MzMLPendingRecord] = []
        var done: [Result<MzMLRecord, ImportRejection>] = []
        while true {
            condition.lock()
            while jobs.isEmpty, !closed { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            swap(&taken, &jobs)
            condition.unlock()
            let bytes = taken.reduce(0) { $0 + $1.base64Bytes }
            for job in taken {
                done.append(Result { () throws(ImportRejection) in try job.decode(with: decoder, file: file) })
            }
            taken.removeAll(keepingCapacity: true)
            condition.lock()
            results.append(contentsOf: done)
            inFlight -= done.count
            inFlightBytes -= bytes
            condition.broadcast()
            condition.unlock()
            done.removeAll(keepingCapacity: true)
        }
    }
}
