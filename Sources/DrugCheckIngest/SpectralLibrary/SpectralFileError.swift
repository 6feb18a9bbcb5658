import Foundation

/// A spectral file (MSP, MassBank record, peak-list CSV) that cannot be read, with where and why.
///
/// ```swift
/// do { _ = try MSPReader().read(file: url) } catch let e as SpectralFileError { print(e) }
/// // "lib.msp:12: peak line 'abc 12': expected 'm/z intensity' numbers"
/// ```
public struct SpectralFileError: Error, Sendable, CustomStringConvertible, Equatable {
    /// File name (last path component) or a caller-supplied label.
    public var file: String
    /// 1-based line number; 0 when the problem concerns the whole file.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
