@testable import DrugCheckIngest
import Foundation
import XCTest

/// `XMLTextLifter` lifts exactly the `<binary>` texts it may, leaves every other byte alone, and
/// gives the same result however the stream is cut into chunks; mzML parsed with lifting equals
/// mzML parsed without it, on every refdata file and on files made to break it.
final class XMLTextLifterTests: XCTestCase {
    /// Feeds `text` in pieces of `step` bytes as ``XMLChunkReader`` does (unused bytes come again).
    private func lift(_ text: String, step: Int = .max, maxTextBytes: Int = XMLPushParser.maxTextBytes) -> (output: String, lifted: [String]) {
        let bytes = Array(text.utf8)
        var lifter = XMLTextLifter(maxTextBytes: maxTextBytes)
        var output: [UInt8] = [], lifted: [[UInt8]] = []
        var held: [UInt8] = [], offset = 0
        repeat {
            let take = min(step, bytes.count - offset)
            held += bytes[offset..<offset + take]
            offset += take
            let final = offset == bytes.count
            let used = held.withUnsafeBufferPointer { lifter.process($0, final: final, output: &output, lifted: &lifted) }
            held.removeFirst(used)
            XCTAssertTrue(!final || held.isEmpty, "everything is used at the end")
        } while offset < bytes.count
        return (String(decoding: output, as: UTF8.self), lifted.map { String(decoding: $0, as: UTF8.self) })
    }

    /// The same result for every chunk size, from one byte at a time to the whole text.
    private func assertLifts(_ text: String, output: String, lifted: [String], maxTextBytes: Int = XMLPushParser.maxTextBytes,
                             file: StaticString = #filePath, line: UInt = #line) {
        for step in [1, 2, 3, 5, 8, 13, 64, .max] {
            let got = lift(text, step: step, maxTextBytes: maxTextBytes)
            XCTAssertEqual(got.output, output, "chunks of \(step)", file: file, line: line)
            XCTAssertEqual(got.lifted, lifted, "chunks of \(step)", file: file, line: line)
        }
    }

    private func unchanged(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        assertLifts(text, output: text, lifted: [], file: file, line: line)
    }

    func testBinaryTextIsLiftedAndItsLineBreaksKept() {
        assertLifts("<?xml version=\"1.0\"?>\n<a><binary>QUJD</binary><binary>RA==\nRQ==\r\n</binary><binary></binary></a>",
                    output: "<?xml version=\"1.0\"?>\n<a><binary drugcheck-lifted=\"0\"></binary><binary drugcheck-lifted=\"1\">\n\r\n</binary><binary drugcheck-lifted=\"2\"></binary></a>",
                    lifted: ["QUJD", "RA==\nRQ==\r\n", ""])
    }

    func testCommentsCDATAAndProcessingInstructionsAreLeftAlone() {
        unchanged("<a><!-- <binary>QUJD</binary> --><![CDATA[<binary>QUJD</binary>]]><?pi <binary>QUJD</binary> ?></a>")
        // A comment ending in "--->" or a CDATA ending in "]]]>" still ends there.
        assertLifts("<a><!-- x - --><binary>QQ==</binary><![CDATA[ ]]]><binary>Qg==</binary></a>",
                    output: "<a><!-- x - --><binary drugcheck-lifted=\"0\"></binary><![CDATA[ ]]]><binary drugcheck-lifted=\"1\"></binary></a>",
                    lifted: ["QQ==", "Qg=="])
    }

    func testOnlyThePlainFormIsLifted() {
        unchanged("<a><binary id=\"x\">QUJD</binary><binary >QUJD</binary><m:binary>QUJD</m:binary><binaryX>QUJD</binaryX></a>")
        unchanged("<a><binary>QU&#74;D</binary><binary>QU<!-- c -->JD</binary><binary>QUJD</binary ><binary>QUJD<x/></binary></a>")
        unchanged("<a><binary>QUJD")    // unfinished at the end of the file
    }

    func testTextOverTheLimitPassesThroughForLibxml2ToRefuse() {
        assertLifts("<a><binary>QUJDRA==QUJD</binary></a>", output: "<a><binary>QUJDRA==QUJD</binary></a>", lifted: [], maxTextBytes: 8)
        assertLifts("<a><binary>QUJDRA==</binary></a>", output: "<a><binary drugcheck-lifted=\"0\"></binary></a>", lifted: ["QUJDRA=="],
                    maxTextBytes: 8)
    }

    func testNothingIsLiftedAfterADoctypeOrInAnotherEncoding() {
        unchanged("<!DOCTYPE a [<!ENTITY e \"x\">]><a><binary>QUJD</binary></a>")
        unchanged("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a><binary>QUJD</binary></a>")
        unchanged("<?xml version=\"1.0\" encoding='EBCDIC-US'?><a><binary>QUJD</binary></a>")
        unchanged(" <a><binary>QUJD</binary></a>")    // not starting with "<": not read as ASCII-compatible
        assertLifts("<?xml version='1.0' encoding='iso-8859-1'?><a><binary>QUJD</binary></a>",
                    output: "<?xml version='1.0' encoding='iso-8859-1'?><a><binary drugcheck-lifted=\"0\"></binary></a>", lifted: ["QUJD"])
        assertLifts("\u{FEFF}<a><binary>QUJD</binary></a>", output: "\u{FEFF}<a><binary drugcheck-lifted=\"0\"></binary></a>", lifted: ["QUJD"])
    }

    func testUTF16FileIsPassedThroughUntouched() {
        let text = "<a><binary>QUJD</binary></a>"
        let utf16: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        var lifter = XMLTextLifter()
        var output: [UInt8] = [], lifted: [[UInt8]] = []
        let used = utf16.withUnsafeBufferPointer { lifter.process($0, final: true, output: &output, lifted: &lifted) }
        XCTAssertEqual(used, utf16.count)
        XCTAssertEqual(output, utf16)
        XCTAssertEqual(lifted, [])
    }
}
