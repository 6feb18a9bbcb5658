import Foundation

/// Decodes the binary arrays of mzML records on a second thread while the parser reads on, and
/// hands the finished records back in document order.
///
/// One worker thread takes ``MzMLPendingRecord``s first in, first out; the parsing thread submits
/// and collects. At most ``maxRecords`` records or ``maxBytes`` of base64 are in flight at once
/// (submitting more waits for the worker), so memory stays bounded whatever the file size.
/// All shared state sits behind one `NSCondition`; records cross threads as `Sendable` values.
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

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var jobs: [MzMLPendingRecord] = []
    private var results: [Result<MzMLRecord, ImportRejection>] = []
    private var inFlight = 0
    private var inFlightBytes = 0
    private var closed = false
    private let exited = DispatchSemaphore(value: 0)
    /// Set (by the parsing thread only) once a delivery threw: nothing after it is delivered.
    private var stopped = false

    init(file: String) {
        let thread = Thread { [self] in
            work(file: file)
            exited.signal()
        }
        thread.name = "mzML decoder"
        thread.start()
    }

    /// Queues `record` for decoding, then delivers every record already decoded. Waits while the
    /// pipeline is full. Throws the first decoding error, in document order.
    func submit(_ record: MzMLPendingRecord, deliver: (MzMLRecord) throws -> Void) throws {
        condition.lock()
        while inFlight > 0, inFlight >= Self.maxRecords || inFlightBytes >= Self.maxBytes {
            condition.wait()
        }
        jobs.append(record)
        inFlight += 1
        inFlightBytes += record.base64Bytes
        condition.broadcast()
        condition.unlock()
        try drain(waitForAll: false, deliver: deliver)
    }

    /// Waits for every submitted record and delivers them in order.
    func finish(deliver: (MzMLRecord) throws -> Void) throws {
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
        while true {
            condition.lock()
            while jobs.isEmpty, !closed { condition.wait() }
            if closed {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            let result = Result { () throws(ImportRejection) in try job.decode(with: decoder, file: file) }
            condition.lock()
            results.append(result)
            inFlight -= 1
            inFlightBytes -= job.base64Bytes
            condition.broadcast()
            condition.unlock()
        }
    }
}
