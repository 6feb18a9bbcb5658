import Foundation

/// Streams a text file line by line without loading it whole, with line numbers and a hard
/// limit on line length so that a file without newlines cannot exhaust memory.
///
/// ```swift
/// var lines = try TextLineReader(url: url)
/// while let (number, text) = try lines.next() { print(number, text) }
/// ```
/// Bytes are decoded as UTF-8; invalid sequences (Latin-1 files) become U+FFFD rather than failing.
public struct TextLineReader {
    /// Longest accepted line in bytes. Real MSP/MassBank lines are well under 10 kB.
    public static let defaultMaxLineBytes = 1 << 20

    private let handle: FileHandle
    private let label: String
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var eof = false
    private(set) var lineNumber = 0

    public init(url: URL, maxLineBytes: Int = TextLineReader.defaultMaxLineBytes) throws {
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw SpectralFileError(file: url.lastPathComponent, line: 0, "cannot open: \(error.localizedDescription)")
        }
        label = url.lastPathComponent
        self.maxLineBytes = maxLineBytes
    }

    /// The next line (without its terminator, `\r` stripped) and its 1-based number, or `nil` at end of file.
    public mutating func next() throws -> (number: Int, text: String)? {
        while true {
            if let nl = buffer[start...].firstIndex(of: 0x0A) {
                var end = nl
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = nl + 1
                lineNumber += 1
                return (lineNumber, text)
            }
            if buffer.count - start > maxLineBytes {
                throw SpectralFileError(file: label, line: lineNumber + 1,
                                        "line longer than \(maxLineBytes) bytes: expected a text spectral file")
            }
            if eof {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == 0x0D { end -= 1 }
                let text = String(decoding: buffer[start..<end], as: UTF8.self)
                start = buffer.count
                lineNumber += 1
                return (lineNumber, text)
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            let chunk = handle.readData(ofLength: 256 * 1024)
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk) }
        }
    }

    public var fileLabel: String { label }
}
