// libFuzzer target: the results XML (ResultsXMLReader, schema-validated).
// Build and run: bash Fuzz/run.sh FuzzResultsXML --seconds 60
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzInput.withFile(data, size, ext: "xml") { _ = try ResultsXMLReader().read(file: $0, options: FuzzInput.options) }
}

FuzzInput.runDriver(fuzz)
