import CZlib
import DrugCheckIngest
import Foundation
import XCTest

/// Hostile XML: each input ends in a clear ImportRejection, without network access, entity
/// expansion or unbounded memory.
final class HostileXMLTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try XMLTestPaths.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ name: String, _ text: String) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    func mzML(binary: String, length: Int, compression: String = "MS:1000576") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="r1"><spectrumList count="1">
        <spectrum index="0" id="scan=1" defaultArrayLength="\(length)">
        <cvParam cvRef="MS" accession="MS:1000511" name="ms level" value="1"/>
        <binaryDataArrayList count="1"><binaryDataArray>
        <cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/>
        <cvParam cvRef="MS" accession="\(compression)" name="compression"/>
        <cvParam cvRef="MS" accession="MS:1000514" name="m/z array"/>
        <binary>\(binary)</binary></binaryDataArray></binaryDataArrayList></spectrum></spectrumList></run></mzML>
        """
    }

    /// Every XML reader refuses the file; the mzML reader (whose root matches) says why.
    func assertRefusedByEveryReader(_ url: URL, file: StaticString = #filePath, line: UInt = #line) {
        let readers: [any SubmissionReader] = [MzMLReader(), ResultsXMLReader(), AnIMLReader()]
        for reader in readers {
            let r = rejection({ try reader.read(file: url, options: ImportOptions(labCode: "BE-NICC")) }, file: file, line: line)
            XCTAssertFalse(r?.description.contains("root:") ?? true, "file content leaked: \(r?.description ?? "")", file: file, line: line)
        }
        let text = rejection({ try MzMLStreamParser(file: url).parse { _ in } }, file: file, line: line)?.description ?? ""
        XCTAssertTrue(text.contains("DOCTYPE") || text.contains("entity"), text, file: file, line: line)
    }

    func testExternalEntityToLocalFileIsRefused() throws {
        let url = try write("xxe-file.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE results [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <results xmlns="urn:drugcheck:results:1.0" version="1.0" lab="&secret;"/>
            """)
        assertRefusedByEveryReader(url)
    }

    func testExternalEntityToURLIsRefused() throws {
        let url = try write("xxe-url.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE mzML SYSTEM "http://127.0.0.1:9/evil.dtd" [<!ENTITY remote SYSTEM "http://127.0.0.1:9/x">]>
            <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0">&remote;</mzML>
            """)
        assertRefusedByEveryReader(url)
    }

    func testBillionLaughsIsRefused() throws {
        var entities = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 { entities += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let url = try write("laughs.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\(entities)]>\n<AnIML xmlns=\"\(AnIMLReader.namespace)\">&lol9;</AnIML>")
        assertRefusedByEveryReader(url)
    }

    func testZlibBombStopsAtTheDeclaredSize() throws {
        // 200 MB of zeros deflates to about 200 kB; the spectrum declares 10 values (80 bytes).
        let raw = [UInt8](repeating: 0, count: 200 << 20)
        var size = compressBound(uLong(raw.count))
        var packed = [UInt8](repeating: 0, count: Int(size))
        XCTAssertEqual(compress2(&packed, &size, raw, uLong(raw.count), 9), Z_OK)
        let base64 = Data(packed[..<Int(size)]).base64EncodedString()
        let url = try write("bomb.mzML", mzML(binary: base64, length: 10, compression: "MS:1000574"))
        let r = rejection { try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC")) }
        XCTAssertTrue(r?.description.contains("inflates past 80 bytes") ?? false, r?.description ?? "")
    }

    func testTruncatedFileIsRejectedWithItsLine() throws {
        let whole = try Data(contentsOf: try XMLTestPaths.refdataFile("mzml/hupo_tiny.pwiz.1.1.mzML"))
        let url = dir.appendingPathComponent("truncated.mzML")
        try whole.prefix(whole.count / 2).write(to: url)
        let r = rejection { try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC")) }
        XCTAssertGreaterThan(r?.problems.first?.line ?? 0, 100, r?.description ?? "")
        XCTAssertTrue(r?.description.contains("truncated.mzML") ?? false)
    }

    func testWrongBase64LengthIsRejected() throws {
        // "AAAAAAAA8D8" is the base64 of 1.0 (64-bit) with its "=" padding cut off.
        let url = try write("base64.mzML", mzML(binary: "AAAAAAAA8D8", length: 1))
        let r = rejection { try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC")) }
        XCTAssertTrue(r?.description.contains("not a whole number of 4-character groups") ?? false, r?.description ?? "")
        XCTAssertTrue(r?.description.contains("scan=1") ?? false, r?.description ?? "")
        // With the padding it decodes to 1.0.
        let good = try write("base64-ok.mzML", mzML(binary: "AAAAAAAA8D8=", length: 1))
        var values: [Double] = []
        try MzMLStreamParser(file: good).parse { values = $0.xValues }
        XCTAssertEqual(values, [1.0])
    }

    func testInvalidUTF8IsRejectedWithPosition() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<results xmlns=\"urn:drugcheck:results:1.0\" version=\"1.0\" lab=\"BE-\"".utf8)
        bytes.insert(contentsOf: [0xC3, 0x28], at: bytes.count - 1)    // an invalid 2-byte sequence inside lab="BE-…"
        bytes += Array("/>\n".utf8)
        let url = dir.appendingPathComponent("utf8.xml")
        try Data(bytes).write(to: url)
        let r = rejection { try ResultsXMLReader().read(file: url, options: ImportOptions()) }
        XCTAssertEqual(r?.problems.first?.line, 2, r?.description ?? "")
        XCTAssertTrue(r?.description.lowercased().contains("utf-8") ?? false, r?.description ?? "")
    }

    func testOneGigabyteTextNodeIsStoppedEarly() throws {
        let url = dir.appendingPathComponent("huge.mzML")
        XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        let head = mzML(binary: "@@", length: 1).components(separatedBy: "@@")
        try handle.write(contentsOf: Data(head[0].utf8))
        let chunk = Data(repeating: UInt8(ascii: "A"), count: 1 << 20)
        for _ in 0..<1024 { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data(head[1].utf8))
        try handle.close()
        var before = rusage(), after = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &before)
        let r = rejection { try MzMLStreamParser(file: url).parse { _ in } }
        getrusage(Int32(RUSAGE_SELF.rawValue), &after)
        // libxml2's default text-node limit (10,000,000 bytes without XML_PARSE_HUGE) ends it.
        XCTAssertTrue(r?.description.lowercased().contains("text") ?? false, r?.description ?? "")
        XCTAssertLessThan(after.ru_maxrss - before.ru_maxrss, 256 * 1024, "peak RSS grew by more than 256 MB")
        // The byte limit stops it too, before libxml2 sees the whole file.
        let limited = rejection { try MzMLStreamParser(file: url, maxBytes: 1 << 20).parse { _ in } }
        XCTAssertTrue(limited?.description.contains("exceeds the limit of 1048576 bytes") ?? false, limited?.description ?? "")
    }
}
