// libFuzzer target: AnIML (AnIMLReader).
// Build and run: bash Fuzz/run.sh FuzzAnIML --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "animl") { _ = try AnIMLReader().read(file: $0, options: FuzzInput.options) }
}

FuzzInput.runDriver(fuzz)
