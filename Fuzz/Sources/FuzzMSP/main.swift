// libFuzzer target: MSP spectral libraries (MSPReader).
// Build and run: bash Fuzz/run.sh FuzzMSP --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "msp") { _ = try MSPReader().read(file: $0) }
}

FuzzInput.runDriver(fuzz)
