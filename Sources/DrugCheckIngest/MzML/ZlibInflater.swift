import CZlib

/// zlib (RFC 1950) decompression with a ceiling on the output size, so a compression bomb
/// stops as soon as it passes the limit instead of filling memory.
///
/// ```swift
/// let raw = try ZlibInflater.inflate(compressed, limit: 8 * peakCount)
/// ```
enum ZlibInflater {
    enum Failure: Error, Equatable {
        case exceedsLimit(Int)
        case corrupt(String)
    }

    static let headroom = 258 + 1

    static func inflate(_ input: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        // Headroom past the limit: one byte tells "exactly at the limit" from "past it", and zlib
        // keeps to its fast loop (inflate_fast) only while 258 bytes of output space are left, so
        // without it the last 258 bytes of every array were decoded by the slow loop.
        // Not zero-filled: only the bytes zlib writes are kept.
        let size = min(limit, 1 << 26) + Self.headroom
        var out = [UInt8](unsafeUninitializedCapacity: size) { _, initialized in initialized = size }
        var produced = 0
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { inBuf in
            // zlib never writes through next_in; a mutable view of a shared array would copy it.
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = uInt(inBuf.count)
            while status == Z_OK {
                if produced == out.count {
                    if out.count > limit { break }
                    out.append(contentsOf: repeatElement(0, count: min(out.count, limit + 1 - out.count)))
                }
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = uInt(outBuf.count - produced)
                    // Z_FINISH: an array that inflates in one call needs no 32 KiB sliding window
                    // (nor the copy into it); when the output is full zlib answers Z_BUF_ERROR.
                    status = CZlib.inflate(&stream, Z_FINISH)
                    produced = outBuf.count - Int(stream.avail_out)
                }
                if status == Z_BUF_ERROR && stream.avail_in == 0 && produced < out.count { break }
                if status == Z_BUF_ERROR { status = Z_OK }
            }
        }
        if produced > limit { throw .exceedsLimit(limit) }
        guard status == Z_STREAM_END else {
            let message = stream.msg.map { String(cString: $0) } ?? (status == Z_OK || status == Z_BUF_ERROR ? "stream ends early" : "error \(status)")
            throw .corrupt(message)
        }
        out.removeSubrange(produced...)
        return out
    }
}
