@_exported import DrugCheckIngest
import Foundation

/// Hands one libFuzzer input to a reader that reads a file: writes the bytes to a per-process
/// temp file and calls `body` with its URL. A thrown error is the correct outcome for bad input and
/// is ignored; a crash, trap, hang or memory error is what the fuzzer reports.
///
/// ```swift
/// @_cdecl("LLVMFuzzerTestOneInput")
/// public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
///     FuzzInput.withFile(data, size, ext: "csv") { _ = try FindingsCSVReader().read(file: $0, options: FuzzInput.options) }
/// }
/// ```
public enum FuzzInput {
    /// Options every target reads with: a lab and a sample id, so readers get past identity checks.
    public static let options = ImportOptions(labCode: "XX-FUZZ", sampleID: "FUZZ-1")

    public static func withFile(_ data: UnsafePointer<UInt8>, _ size: Int, ext: String, _ body: (URL) throws -> Void) -> CInt {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("drugcheck-fuzz-\(ProcessInfo.processInfo.processIdentifier).\(ext)")
        do { try Data(bytes: data, count: size).write(to: url) } catch { fatalError("cannot write \(url.path): \(error)") }
        do { try body(url) } catch {}
        return 0
    }
}
