import Foundation

/// Reads a file ahead on its own thread and hands it out in chunks of about `chunkBytes`, two
/// chunks deep, so the parsing thread never waits in `read(2)` (copying the file out of the page
/// cache was a sixth of the mzML parsing thread's time). On the way, an ``XMLTextLifter`` takes
/// the text of `<binary>` elements out of the bytes libxml2 will see.
///
/// Chunks come back in file order, each with the texts lifted out of it; the last one has
/// `isLast` set. A `nil` chunk means a read error or the byte limit (see
/// ``XMLFileInput/limitExceeded``). A chunk holds at most about `chunkBytes` of markup and
/// ``liftedBudget`` of lifted text (plus one element's text, itself capped), so memory stays
/// bounded whatever the file.
///
/// ```swift
/// let reader = XMLChunkReader(input: input, chunkBytes: 1 << 20, lifter: XMLTextLifter())
/// defer { reader.close() }
/// while let chunk = reader.next() { consume(chunk.bytes, chunk.lifted); if chunk.isLast { break } }
/// ```
final class XMLChunkReader: @unchecked Sendable {
    struct Chunk: Sendable {
        var bytes: [UInt8]
        var lifted: [[UInt8]]
        var isLast: Bool
    }

    /// Lifted text gathered before a chunk is handed over even if its markup is short.
    static let liftedBudget = 4 << 20
    /// Bytes per `read(2)`. Small enough that the window stays in the core's L2 cache between
    /// the kernel's copy and the lifter's scan: 64 KiB reads made `drugcheck bench mzml` about
    /// 15 % faster than 1 MiB reads (BENCHMARKS.md), for the same chunks handed to libxml2.
    static let readBytes = 64 << 10

    // The input and the window are only touched by the reading thread until a final chunk (or
    // nil) has been handed over; the semaphores order every access to a slot, and the two slots
    // are separate memory (not one Array both threads would mutate).
    private let input: XMLFileInput
    private let chunkBytes: Int
    private var lifter: XMLTextLifter
    private let window: UnsafeMutablePointer<UInt8>
    private let windowCapacity: Int
    private let readBytes: Int
    private let slots = UnsafeMutablePointer<Chunk?>.allocate(capacity: 2)
    /// Starts at 0 and is signalled twice: libdispatch traps when a semaphore is freed below its initial value.
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var closed = false
    /// Slot of the next chunk to hand out (parsing thread only).
    private var current = 0
    private var started = false

    init(input: XMLFileInput, chunkBytes: Int, lifter: XMLTextLifter) {
        self.input = input
        self.chunkBytes = chunkBytes
        self.lifter = lifter
        // Room for what the lifter leaves unused: a few bytes, or the start of the file while
        // it looks for the end of the XML declaration.
        readBytes = min(chunkBytes, Self.readBytes)
        windowCapacity = readBytes + 512
        window = .allocate(capacity: windowCapacity)
        slots.initialize(repeating: nil, count: 2)
        free.signal()
        free.signal()
        let thread = Thread { [self] in
            readAhead()
            exited.signal()
        }
        thread.name = "XML read-ahead"
        thread.start()
    }

    deinit {
        window.deallocate()
        slots.deinitialize(count: 2)
        slots.deallocate()
    }

    /// The next chunk, or `nil` after a read error or at the byte limit; blocks until it is ready.
    func next() -> Chunk? {
        if started { free.signal() }    // the previous chunk's slot may be refilled
        started = true
        filled.wait()
        let chunk = slots[current].take()
        current = 1 - current
        return chunk
    }

    /// Stops the reading thread and waits for it. Call exactly once, from the parsing thread.
    func close() {
        lock.lock()
        closed = true
        lock.unlock()
        free.signal()
        exited.wait()
    }

    private func readAhead() {
        var k = 0
        var held = 0          // bytes at the start of `window` the lifter has not used yet
        var ended = false
        while true {
            free.wait()
            lock.lock()
            let stop = closed
            lock.unlock()
            if stop { return }
            var chunk = Chunk(bytes: [], lifted: [], isLast: false)
            chunk.bytes.reserveCapacity(chunkBytes + 64)
            var liftedBytes = 0
            repeat {
                if !ended {
                    precondition(held < windowCapacity, "the lifter keeps at most a few hundred bytes")
                    let n = Int(input.read(into: window + held, count: min(readBytes, windowCapacity - held)))
                    guard n >= 0 else {
                        slots[k] = nil
                        filled.signal()
                        return
                    }
                    ended = n == 0
                    held += n
                }
                let before = chunk.lifted.count
                let used = lifter.process(UnsafeBufferPointer(start: window, count: held), final: ended,
                                          output: &chunk.bytes, lifted: &chunk.lifted)
                liftedBytes += chunk.lifted[before...].reduce(0) { $0 + $1.count }
                memmove(window, window + used, held - used)
                held -= used
            } while !ended && chunk.bytes.count < chunkBytes && liftedBytes < Self.liftedBudget
            chunk.isLast = ended && held == 0
            slots[k] = chunk
            filled.signal()
            if chunk.isLast { return }
            k = 1 - k
        }
    }
}
