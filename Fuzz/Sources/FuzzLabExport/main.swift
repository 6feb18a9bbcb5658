// libFuzzer target: lab exports read through the bundled mapping profiles (LabExportReader).
// Build and run: bash Fuzz/run.sh FuzzLabExport --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "csv") { _ = try LabExportReader().read(file: $0, options: FuzzInput.options) }
}

FuzzInput.runDriver(fuzz)
