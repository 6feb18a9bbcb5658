// libFuzzer target: MassBank records (MassBankRecordReader).
// Build and run: bash Fuzz/run.sh FuzzMassBank --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "txt") { _ = try MassBankRecordReader().read(file: $0) }
}

FuzzInput.runDriver(fuzz)
