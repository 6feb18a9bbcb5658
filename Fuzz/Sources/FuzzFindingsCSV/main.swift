// libFuzzer target: the canonical findings CSV (FindingsCSVReader).
// Build and run: bash Fuzz/run.sh FuzzFindingsCSV --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "csv") { _ = try FindingsCSVReader().read(file: $0, options: FuzzInput.options) }
}

FuzzInput.runDriver(fuzz)
