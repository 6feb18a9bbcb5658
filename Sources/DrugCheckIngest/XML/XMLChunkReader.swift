import Foundation

/// Reads a file ahead on its own thread, one fixed-size chunk at a time, two buffers deep, so
/// the parsing thread never waits in `read(2)` (copying the file out of the page cache was a
/// sixth of the mzML parsing thread's time).
///
/// Chunks come back in file order; a chunk of 0 bytes is the end of the file, a negative count
/// a read error or the byte limit (see ``XMLFileInput/limitExceeded``). Buffers alternate, so a
/// chunk stays valid until the next call to ``next()``.
///
/// ```swift
/// let reader = XMLChunkReader(input: input, chunkBytes: 1 << 20)
/// defer { reader.close() }
/// while case let chunk = reader.next(), chunk.count > 0 { consume(chunk.bytes, chunk.count) }
/// ```
final class XMLChunkReader: @unchecked Sendable {
    // The input is only touched by the reading thread until a chunk with count <= 0 has been
    // handed over; the semaphores order every access to the buffers and counts.
    private let input: XMLFileInput
    private let buffers: [UnsafeMutablePointer<CChar>]
    private let counts = UnsafeMutablePointer<Int>.allocate(capacity: 2)
    /// Starts at 0 and is signalled twice: libdispatch traps when a semaphore is freed below its initial value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var closed = false
    /// Buffer handed out by the last `next()`, recycled by the following one (parsing thread only).
    private var current: Int?

    init(input: XMLFileInput, chunkBytes: Int) {
        self.input = input
        buffers = [.allocate(capacity: chunkBytes), .allocate(capacity: chunkBytes)]
        free.signal()
        free.signal()
        let thread = Thread { [self] in
            readAhead(chunkBytes: chunkBytes)
            exited.signal()
        }
        thread.name = "XML read-ahead"
        thread.start()
    }

    deinit {
        for b in buffers { b.deallocate() }
        counts.deallocate()
    }

    /// The next chunk; blocks until it has been read.
    func next() -> (bytes: UnsafeMutablePointer<CChar>, count: Int) {
        if current != nil { free.signal() }    // the previous chunk's buffer may be refilled
        filled.wait()
        let k = (current.map { $0 + 1 } ?? 0) % 2
        current = k
        return (buffers[k], counts[k])
    }

    /// Stops the reading thread and waits for it. Call exactly once, from the parsing thread.
    func close() {
        lock.lock()
        closed = true
        lock.unlock()
        free.signal()
        exited.wait()
    }

    private func readAhead(chunkBytes: Int) {
        var k = 0
        while true {
            free.wait()
            lock.lock()
            let stop = closed
            lock.unlock()
            if stop { return }
            let n = Int(input.read(into: buffers[k], count: chunkBytes))
            counts[k] = n
            filled.signal()
            if n <= 0 { return }
            k = 1 - k
        }
    }
}
