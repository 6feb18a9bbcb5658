// libFuzzer target: peak-list CSV (PeakListCSVReader).
// Build and run: bash Fuzz/run.sh FuzzPeakList --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "csv") { _ = try PeakListCSVReader().read(file: $0) }
}

FuzzInput.runDriver(fuzz)
