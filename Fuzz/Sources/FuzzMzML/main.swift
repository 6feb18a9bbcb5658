// libFuzzer target: mzML with base64, zlib and Numpress binary arrays (MzMLReader).
// Build and run: bash Fuzz/run.sh FuzzMzML --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "mzML") { _ = try MzMLReader().read(file: $0, options: FuzzInput.options) }
}

FuzzInput.runDriver(fuzz)
