@testable import DrugCheckIngest
import Foundation
import XCTest

/// The SAX push parser and the decoding thread behind ``MzMLStreamParser``: document order,
/// errors from the decoding thread, DOCTYPE refusal and attribute entities.
final class MzMLPushParserTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try XMLTestPaths.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A spectrum whose single m/z array holds `values` as uncompressed 64-bit floats.
    func spectrum(index: Int, id: String, values: [Double], base64: String? = nil) -> String {
        let bytes = values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
        return """
            <spectrum index="\(index)" id="\(id)" defaultArrayLength="\(values.count)">
            <cvParam cvRef="MS" accession="MS:1000511" name="ms level" value="\(index % 2 + 1)"/>
            <binaryDataArrayList count="1"><binaryDataArray>
            <cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/>
            <cvParam cvRef="MS" accession="MS:1000576" name="no compression"/>
            <cvParam cvRef="MS" accession="MS:1000514" name="m/z array"/>
            <binary>\(base64 ?? Data(bytes).base64EncodedString())</binary></binaryDataArray></binaryDataArrayList></spectrum>

            """
    }

    func write(_ name: String, prolog: String = "", spectra: [String]) throws -> URL {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            \(prolog)<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="r1"><spectrumList count="\(spectra.count)">
            \(spectra.joined())</spectrumList></run></mzML>
            """
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// 500 spectra (several times the pipeline's 64 in flight) come back in file order, intact.
    /// A parser with `workers` decoding threads (one on a two-core machine, up to three elsewhere).
    func parser(_ url: URL, workers: Int) -> MzMLStreamParser {
        var parser = MzMLStreamParser(file: url)
        parser.decodeWorkers = workers
        return parser
    }

    func testRecordsArriveInDocumentOrder() throws {
        for workers in [1, 3] { try assertRecordsArriveInDocumentOrder(workers: workers) }
    }

    func assertRecordsArriveInDocumentOrder(workers: Int) throws {
        let spectra = (0..<500).map { i in spectrum(index: i, id: "scan=\(i)", values: (0..<(i % 7 + 1)).map { Double(i) + Double($0) / 8 }) }
        let url = try write("order.mzML", spectra: spectra)
        var seen: [(String, [Double], Int?)] = []
        let run = try parser(url, workers: workers).parse { seen.append(($0.id, $0.xValues, $0.msLevel)) }
        XCTAssertEqual(seen.map(\.0), (0..<500).map { "scan=\($0)" })
        for (i, s) in seen.enumerated() {
            XCTAssertEqual(s.1, (0..<(i % 7 + 1)).map { Double(i) + Double($0) / 8 }, s.0)
            XCTAssertEqual(s.2, i % 2 + 1, s.0)
        }
        XCTAssertEqual(run.spectrumCount, 500)
        XCTAssertEqual(run.peakCount, (0..<500).map { $0 % 7 + 1 }.reduce(0, +))
        XCTAssertEqual(run.maxMSLevel, 2)
    }

    /// A bad array decoded on a worker thread names its spectrum and position, after every
    /// earlier spectrum has been delivered and before any later one.
    func testDecodingErrorSurfacesWithTheSpectrumID() throws {
        for workers in [1, 3] { try assertDecodingErrorSurfacesWithTheSpectrumID(workers: workers) }
    }

    func assertDecodingErrorSurfacesWithTheSpectrumID(workers: Int) throws {
        var spectra = (0..<300).map { i in spectrum(index: i, id: "scan=\(i)", values: [Double(i)]) }
        spectra[150] = spectrum(index: 150, id: "scan=150", values: [1], base64: "AAAA*AAA8D8=")
        let url = try write("bad.mzML", spectra: spectra)
        var delivered: [String] = []
        let r = rejection { try parser(url, workers: workers).parse { delivered.append($0.id) } }
        let text = r?.description ?? ""
        XCTAssertTrue(text.contains("bad.mzML") && text.contains("spectrum scan=150") && text.contains("invalid base64 character 0x2a"), text)
        XCTAssertGreaterThan(r?.problems.first?.line ?? 0, 150 * 7, text)
        XCTAssertEqual(delivered, (0..<150).map { "scan=\($0)" })
    }

    /// An error thrown by the caller's closure ends the parse (and the decoding thread) at once.
    func testCallerErrorStopsTheParse() throws {
        struct Enough: Error {}
        let url = try write("stop.mzML", spectra: (0..<300).map { spectrum(index: $0, id: "s\($0)", values: [1, 2]) })
        var count = 0
        XCTAssertThrowsError(try MzMLStreamParser(file: url).parse { _ in
            count += 1
            if count == 10 { throw Enough() }
        }) { XCTAssertTrue($0 is Enough, "\($0)") }
        XCTAssertEqual(count, 10)
    }

    /// Even a DOCTYPE without entities is refused, with its line and column.
    func testDoctypeIsRefusedWithPosition() throws {
        let url = try write("doctype.mzML", prolog: "<!DOCTYPE mzML>\n", spectra: [spectrum(index: 0, id: "s0", values: [1])])
        var delivered = 0
        let r = rejection { try MzMLStreamParser(file: url).parse { _ in delivered += 1 } }
        XCTAssertTrue(r?.description.contains("doctype.mzML") ?? false, r?.description ?? "")
        XCTAssertTrue(r?.description.contains("DOCTYPE declarations are not accepted") ?? false, r?.description ?? "")
        XCTAssertEqual(r?.problems.first?.line, 2, r?.description ?? "")
        XCTAssertGreaterThan(r?.problems.first?.column ?? 0, 0, r?.description ?? "")
        XCTAssertEqual(delivered, 0)
    }

    /// Attribute values come back unescaped (`&amp;` and `&#38;` are both "&", `&lt;` is "<").
    func testEscapedAttributesAreDecoded() throws {
        let url = try write("amp.mzML", spectra: [spectrum(index: 0, id: "a&amp;b&#38;c&lt;d&amp;#38;", values: [1])])
        var ids: [String] = []
        try MzMLStreamParser(file: url).parse { ids.append($0.id) }
        XCTAssertEqual(ids, ["a&b&c<d&#38;"])
    }
}
