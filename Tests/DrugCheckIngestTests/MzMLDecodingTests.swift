import DrugCheckIngest
import Foundation
import XCTest
@testable import DrugCheckIngest

/// Binary array decoding checked against independent data: the uncompressed twin of a zlib file,
/// and MS-Numpress vectors encoded and decoded by OpenMS (Fixtures/mzml/numpress_vectors.json).
final class MzMLDecodingTests: XCTestCase {
    func testZlibFileEqualsItsUncompressedTwinArrayByArray() throws {
        func records(_ path: String) throws -> [MzMLRecord] {
            var out: [MzMLRecord] = []
            try MzMLStreamParser(file: try XMLTestPaths.refdataFile(path)).parse { out.append($0) }
            return out
        }
        let compressed = try records("mzml/openms_MzMLFile_6_compressed.mzML")
        let plain = try records("mzml/twins/openms_MzMLFile_6_uncompressed.mzML")
        XCTAssertEqual(compressed.count, 4)
        XCTAssertEqual(compressed.count, plain.count)
        var kinds = Set<String>()
        for (c, p) in zip(compressed, plain) {
            // 2 standard + 15 non-standard arrays per spectrum (MANIFEST: 64-bit float, 64-bit integer, ASCII strings).
            XCTAssertEqual(c.arrays.count, p.arrays.count, c.id)
            XCTAssertGreaterThan(c.arrays.count, 2, c.id)
            XCTAssertEqual(c.arrays, p.arrays, c.id)
            for a in c.arrays { kinds.insert(a.strings.isEmpty ? "numbers" : "strings") }
        }
        XCTAssertEqual(kinds, ["numbers", "strings"])
    }

    func testNumpressMatchesOpenMS() throws {
        let vectors = try XCTUnwrap(try XMLTestPaths.json("numpress_vectors.json")["vectors"] as? [[String: Any]])
        var schemes = Set<String>()
        for v in vectors {
            let scheme = try XCTUnwrap(v["scheme"] as? String), zlib = try XCTUnwrap(v["zlib"] as? Bool)
            let want = try XCTUnwrap(v["decoded"] as? [Double])
            var encoding = BinaryArrayEncoding()
            let accessions: [String: CVAccession] = ["linear": zlib ? "MS:1002746" : "MS:1002312",
                                                     "pic": zlib ? "MS:1002747" : "MS:1002313",
                                                     "slof": zlib ? "MS:1002748" : "MS:1002314"]
            let accession = accessions[scheme]!
            XCTAssertTrue(encoding.apply(accession: accession))
            XCTAssertTrue(encoding.apply(accession: "MS:1000523"))
            let text = Array(try XCTUnwrap(v["base64"] as? String).utf8)
            let bytes = try text.withUnsafeBufferPointer { try Base64Decoder.decode($0) }
            let got = try BinaryArrayDecoder().decode(base64: bytes, encoding: encoding, expectedCount: want.count).values
            XCTAssertEqual(got.count, want.count, "\(scheme) zlib=\(zlib)")
            for (g, w) in zip(got, want) {
                XCTAssertEqual(g, w, accuracy: abs(w) * 1e-12 + 1e-12, "\(scheme) zlib=\(zlib) \(v["input"] ?? "")")
            }
            schemes.insert("\(scheme)\(zlib)")
        }
        XCTAssertEqual(schemes.count, 6, "every scheme, with and without zlib")
    }

    func testUnknownEncodingIsNamed() {
        var encoding = BinaryArrayEncoding()
        XCTAssertFalse(encoding.apply(accession: "MS:1003780"))   // zstd compression
        XCTAssertTrue(encoding.apply(accession: "MS:1000514"))    // an array type, not an encoding
    }
}
