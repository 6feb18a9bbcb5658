@_exported import DrugCheckIngest
import CLibFuzzer
import Foundation

/// Runs libFuzzer on one reader. Each target's `main.swift` defines `LLVMFuzzerTestOneInput`,
/// which writes the input to a per-process temp file and hands its URL to the reader, and starts
/// the driver. A thrown error is the correct outcome for bad input and is ignored; a crash, trap,
/// hang or memory error is what the fuzzer reports.
///
/// ```swift
/// @_cdecl("LLVMFuzzerTestOneInput")
/// public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
///     FuzzInput.withFile(data, size, ext: "csv") { _ = try FindingsCSVReader().read(file: $0, options: FuzzInput.options) }
/// }
/// FuzzInput.runDriver(fuzz)
/// ```
public enum FuzzInput {
    /// Options every target reads with: a lab and a sample id, so readers get past identity checks.
    public static let options = ImportOptions(labCode: "XX-FUZZ", sampleID: "FUZZ-1")

    public static func withFile(_ data: UnsafePointer<UInt8>?, _ size: Int, ext: String, _ body: (URL) throws -> Void) -> CInt {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("drugcheck-fuzz-\(ProcessInfo.processInfo.processIdentifier).\(ext)")
        let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
        do { try bytes.write(to: url) } catch { fatalError("cannot write \(url.path): \(error)") }
        do { try body(url) } catch {}
        return 0
    }

    /// Hands the command line to libFuzzer's driver and exits with its status.
    public static func runDriver(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
