@testable import DrugCheckIngest
import Foundation
import XCTest

/// `Base64Decoder` against Foundation's independent base64 on every length and alignment the
/// fast paths can meet, with the line breaks some writers put into `<binary>`.
final class Base64DecoderTests: XCTestCase {
    private func decode(_ text: String) throws -> [UInt8] {
        try Array(text.utf8).withUnsafeBufferPointer { try Base64Decoder.decode($0) }
    }

    func testAgreesWithFoundationOnEveryLength() throws {
        var generator = SystemRandomNumberGenerator()
        for count in 0...80 {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let plain = Data(bytes).base64EncodedString()
            XCTAssertEqual(try decode(plain), bytes, "length \(count)")
            let wrapped = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            XCTAssertEqual(try decode(wrapped), bytes, "length \(count), CRLF every 64 characters")
            // A break inside a group of four takes the character-by-character path, then the fast path again.
            let broken = String(plain.prefix(5)) + "\n " + String(plain.dropFirst(5))
            XCTAssertEqual(try decode(broken), bytes, "length \(count), break after 5 characters")
        }
    }

    func testEveryAlphabetCharacterInEveryPosition() throws {
        // 256 bytes 0…255 encode to text that uses the whole alphabet in all four positions.
        let up: [UInt8] = (0...255).map { UInt8($0) }
        let bytes: [UInt8] = up + up.reversed() + up.map { $0 &* 7 }
        XCTAssertEqual(try decode(Data(bytes).base64EncodedString()), bytes)
    }

    func testInvalidCharacterIsReportedAtItsOffset() {
        for offset in [0, 3, 7, 9, 15] {
            var text = Array("AAAAAAAAAAAAAAAAAAAA".utf8)
            text[offset] = UInt8(ascii: "*")
            XCTAssertThrowsError(try text.withUnsafeBufferPointer { try Base64Decoder.decode($0) }) { error in
                XCTAssertEqual(error as? Base64Decoder.Failure, .invalidCharacter(UInt8(ascii: "*"), offset: offset))
            }
        }
    }

    func testTruncatedGroupAndMisplacedPaddingAreRejected() {
        XCTAssertThrowsError(try decode("AAAAAAAAAAA")) { XCTAssertEqual($0 as? Base64Decoder.Failure, .badLength(11)) }
        XCTAssertThrowsError(try decode("AA==AAAA")) { error in
            XCTAssertEqual(error as? Base64Decoder.Failure, .invalidCharacter(UInt8(ascii: "A"), offset: 4))
        }
        XCTAssertThrowsError(try decode("A===")) { XCTAssertEqual($0 as? Base64Decoder.Failure, .invalidCharacter(UInt8(ascii: "="), offset: 3)) }
    }
}
