@testable import DrugCheckIngest
import Foundation
import XCTest

/// Lifting `<binary>` text past libxml2 (``XMLTextLifter``) changes nothing a reader of the file
/// can see: the same records, run information and error messages, with every refdata mzML and
/// whatever the chunk size; a document that writes the lifter's marker itself is refused.
final class MzMLLiftingTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try XMLTestPaths.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Everything a parse yields, as text: each record with its arrays bit for bit, the run, or the error.
    private func outcome(_ url: URL, lifting: Bool, chunkBytes: Int = XMLPushParser.defaultChunkBytes) -> String {
        var parser = MzMLStreamParser(file: url)
        parser.liftsBinaryText = lifting
        parser.chunkBytes = chunkBytes
        var lines: [String] = []
        do {
            let run = try parser.parse { r in
                let arrays = r.arrays.map { "\($0.accession) \($0.name) \($0.values.map(\.bitPattern)) \($0.strings)" }
                lines.append("\(r.kind) \(r.id) \(String(describing: r.index)) \(String(describing: r.msLevel)) "
                             + "\(String(describing: r.retentionTimeSeconds)) \(String(describing: r.precursorMZ)) "
                             + "\(String(describing: r.precursorCharge)) \(String(describing: r.polarity)) "
                             + "\(String(describing: r.typeName)) \(arrays)")
            }
            lines.append("run \(run.spectrumCount) \(run.chromatogramCount) \(run.peakCount) \(String(describing: run.version)) "
                         + "\(String(describing: run.runID)) \(run.sourceFiles) \(run.instrumentAccessions.sorted()) "
                         + "\(String(describing: run.instrumentName)) \(run.userParams.sorted { $0.key < $1.key })")
        } catch {
            lines.append("error \(error)")
        }
        return lines.joined(separator: "\n")
    }

    private func assertSameWithAndWithoutLifting(_ url: URL, file: StaticString = #filePath, line: UInt = #line) {
        let reference = outcome(url, lifting: false)
        for chunk in [7, 100, 4096, XMLPushParser.defaultChunkBytes] {
            XCTAssertEqual(outcome(url, lifting: true, chunkBytes: chunk), reference,
                           "\(url.lastPathComponent), chunks of \(chunk)", file: file, line: line)
        }
        XCTAssertEqual(outcome(url, lifting: false, chunkBytes: 7), reference, "\(url.lastPathComponent) unlifted, chunks of 7",
                       file: file, line: line)
    }

    func testEveryRefdataFileReadsTheSameWithLifting() throws {
        let folder = try XMLTestPaths.refdataFile("mzml")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mzML") }
        XCTAssertGreaterThanOrEqual(files.count, 17)
        for relative in files.sorted() {
            assertSameWithAndWithoutLifting(folder.appendingPathComponent(relative))
        }
    }

    /// Hundreds of one-byte changes to a real file: with and without lifting, each is accepted or
    /// refused alike (messages may differ, e.g. a control character in base64 is named by the
    /// base64 decoder instead of libxml2), and what is accepted reads the same.
    func testDamagedFilesAreAcceptedOrRefusedAlike() throws {
        let original = try Array(Data(contentsOf: try XMLTestPaths.refdataFile("mzml/pymzml_mini.chrom.mzML")))
        let replacements: [UInt8] = [0x00, 0x01, 0x0A, 0x0D, 0x20, 0x21, 0x22, 0x26, 0x2D, 0x2F, 0x3C, 0x3D, 0x3E, 0x3F,
                                     0x41, 0x5D, 0x61, 0x2B, 0xC3, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let binaryStarts = original.indices.filter { original[$0...].starts(with: Array("<binary>".utf8)) }
        XCTAssertFalse(binaryStarts.isEmpty)
        var accepted = 0
        for trial in 0..<300 {
            var bytes = original
            // Half the changes land in or next to a <binary> element, where the lifter works.
            let at = trial % 2 == 0 ? min(bytes.count - 1, binaryStarts[next(binaryStarts.count)] + next(40)) : next(bytes.count)
            switch next(3) {
            case 0: bytes[at] = replacements[next(replacements.count)]
            case 1: bytes.insert(replacements[next(replacements.count)], at: at)
            default: bytes.remove(at: at)
            }
            let url = dir.appendingPathComponent("damaged-\(trial).mzML")
            try Data(bytes).write(to: url)
            let lifted = outcome(url, lifting: true), plain = outcome(url, lifting: false)
            let liftedRefused = lifted.contains("\nerror ") || lifted.hasPrefix("error ")
            let plainRefused = plain.contains("\nerror ") || plain.hasPrefix("error ")
            XCTAssertEqual(liftedRefused, plainRefused, "trial \(trial), byte \(at):\n\(lifted.suffix(300))\n---\n\(plain.suffix(300))")
            if !plainRefused {
                XCTAssertEqual(lifted, plain, "trial \(trial), byte \(at)")
                accepted += 1
            }
        }
        XCTAssertGreaterThan(accepted, 20, "some changes (inside base64, in values) leave a readable file")
    }

    /// Base64 broken into 76-character CRLF lines, and the lines of errors after it unchanged.
    func testWrappedBase64AndErrorLinesAreUnchanged() throws {
        var spectra = ""
        for i in 0..<40 {
            let values = (0..<(i * 7 + 1)).map { Double($0) * 1.25 + Double(i) }
            let bytes = values.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } }
            let text = Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            spectra += """
                <spectrum index="\(i)" id="scan=\(i)" defaultArrayLength="\(values.count)">
                <binaryDataArrayList count="1"><binaryDataArray>
                <cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/><cvParam cvRef="MS" accession="MS:1000514" name="m/z array"/>
                <binary>\(text)</binary>
                </binaryDataArray></binaryDataArrayList></spectrum>

                """
        }
        let document = """
            <?xml version="1.0" encoding="UTF-8"?>
            <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="r"><spectrumList count="40">
            \(spectra)</spectrumList></run></mzML>
            """
        let good = dir.appendingPathComponent("wrapped.mzML")
        try Data(document.utf8).write(to: good)
        assertSameWithAndWithoutLifting(good)
        let read = outcome(good, lifting: true)
        XCTAssertTrue(read.contains("\nrun 40 0"), String(read.suffix(300)))
        // A well-formedness error after many lifted lines is reported on the same line and column.
        let broken = dir.appendingPathComponent("broken.mzML")
        try Data(document.replacingOccurrences(of: "</spectrumList>", with: "</spectrumLst>").utf8).write(to: broken)
        assertSameWithAndWithoutLifting(broken)
        let failed = outcome(broken, lifting: true)
        XCTAssertTrue(failed.contains("\nerror ") && failed.contains("spectrumLst"), String(failed.suffix(300)))
    }

    /// A `<binary>` the mzML reader has no use for (outside any binaryDataArray) is not decoded,
    /// so its lifted text is checked as libxml2 would have checked it.
    func testUnusedBinaryTextIsStillCheckedAsXML() throws {
        func document(_ text: String) -> String {
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="r"><binary>\(text)</binary></run></mzML>
            """
        }
        let clean = dir.appendingPathComponent("clean.mzML"), control = dir.appendingPathComponent("control.mzML")
        try Data(document("QUJD").utf8).write(to: clean)
        try Data(document("QU\u{1}JD").utf8).write(to: control)
        for lifting in [false, true] {
            XCTAssertTrue(outcome(clean, lifting: lifting).hasPrefix("run 0 0"), "lifting \(lifting)")
            let refused = outcome(control, lifting: lifting)
            XCTAssertTrue(refused.hasPrefix("error") && refused.contains("control.mzML"), "lifting \(lifting): \(refused)")
        }
        XCTAssertTrue(XMLPushParser.isCharacterData(Array("é\t\r\nA".utf8)))
        XCTAssertFalse(XMLPushParser.isCharacterData([0x41, 0xC3]))             // truncated UTF-8
        XCTAssertFalse(XMLPushParser.isCharacterData(Array("a]]>b".utf8)))
        XCTAssertFalse(XMLPushParser.isCharacterData(Array("\u{FFFE}".utf8)))
    }

    func testMarkerWrittenByTheDocumentIsRefused() throws {
        let url = dir.appendingPathComponent("forged.mzML")
        try Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0"><run id="r"><spectrumList count="1">
            <spectrum index="0" id="scan=1" defaultArrayLength="1"><binaryDataArrayList count="1"><binaryDataArray>
            <cvParam cvRef="MS" accession="MS:1000523" name="64-bit float"/><cvParam cvRef="MS" accession="MS:1000514" name="m/z array"/>
            <binary drugcheck-lifted="0">AAAAAAAA8D8=</binary></binaryDataArray></binaryDataArrayList></spectrum>
            </spectrumList></run></mzML>
            """.utf8).write(to: url)
        let text = outcome(url, lifting: true)
        XCTAssertTrue(text.contains("drugcheck-lifted attribute that DrugCheck did not write"), text)
        XCTAssertTrue(text.contains("forged.mzML"), text)
    }
}
