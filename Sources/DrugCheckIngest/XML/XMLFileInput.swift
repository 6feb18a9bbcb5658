import Foundation
import CLibXML2

/// The bytes of one file as libxml2 pulls them, with a hard byte limit.
///
/// libxml2 reads through ``readCallback``; once more than `maxBytes` have been delivered the
/// callback reports an I/O error and ``limitExceeded`` is set, so a runaway file stops the parse
/// without being read further.
final class XMLFileInput {
    let url: URL
    let maxBytes: Int64
    private(set) var bytesRead: Int64 = 0
    private(set) var limitExceeded = false
    private var fd: Int32

    init(url: URL, maxBytes: Int64) throws {
        self.url = url
        self.maxBytes = maxBytes
        fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            throw ImportRejection("\(url.lastPathComponent): cannot open (\(String(cString: strerror(errno))))")
        }
        var info = stat()
        if fstat(fd, &info) == 0, Int64(info.st_size) > maxBytes {
            close(fd)
            fd = -1
            throw ImportRejection("\(url.lastPathComponent): \(info.st_size) bytes exceeds the limit of \(maxBytes) bytes (raise it with --max-bytes)")
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func read(into buffer: UnsafeMutableRawPointer, count: Int) -> Int32 {
        guard fd >= 0, !limitExceeded else { return -1 }
        let n = Foundation.read(fd, buffer, count)
        guard n >= 0 else { return -1 }
        bytesRead += Int64(n)
        if bytesRead > maxBytes {
            limitExceeded = true
            return -1
        }
        return Int32(n)
    }

    /// C entry point handed to `xmlReaderForIO`; `context` is an unretained `XMLFileInput`.
    static let readCallback: xmlInputReadCallback = { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        return Unmanaged<XMLFileInput>.fromOpaque(context).takeUnretainedValue().read(into: buffer, count: Int(length))
    }

    /// The descriptor is closed by `deinit`, not by libxml2.
    static let closeCallback: xmlInputCloseCallback = { _ in 0 }
}
