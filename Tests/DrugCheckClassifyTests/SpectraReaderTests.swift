import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

final class SpectraReaderTests: XCTestCase {
    func testReadsEveryRefdataSpectrumListedInTheIndex() throws {
        let all = try SpectraRefData.all()
        // refdata spectra/INDEX.csv has 766 rows: 506 MassBank, 44 EI, 212 ESI MSP, 4 peak lists.
        XCTAssertEqual(all.count, 766)
        XCTAssertEqual(all.filter { $0.file.hasPrefix("massbank/") }.count, 506)
        XCTAssertTrue(all.allSatisfy { $0.spectrum.mz == $0.spectrum.mz.sorted() })
    }

    func testMSPFieldsOfTheNISTEILibrary() throws {
        let url = try SpectraRefData.root().appendingPathComponent("ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp")
        let spectra = try MSPReader().read(file: url)
        XCTAssertEqual(spectra.count, 44)
        let first = spectra[0]
        XCTAssertEqual(first.name, "3-Methylfentanyl")
        XCTAssertEqual(first.peakCount, 140) // "Num Peaks: 140"
        XCTAssertEqual(first.metadata[SpectrumMetadataKey.inchiKey], "MLQRZXNZHAOCHQ-UHFFFAOYSA-N")
        XCTAssertEqual(first.metadata[SpectrumMetadataKey.ionisation], "EI") // from "Comments: EI-MS (GC-MS) …"
        XCTAssertEqual(IonisationKind(of: first), .ei)
    }

    func testMassBankRecordFields() throws {
        let url = try SpectraRefData.root().appendingPathComponent("massbank/fentanyl/MSBNK-Athens_Univ-AU154501.txt")
        let s = try XCTUnwrap(MassBankRecordReader().read(file: url).first)
        XCTAssertEqual(s.id, "MSBNK-Athens_Univ-AU154501")
        XCTAssertEqual(s.name, "Fentanyl")
        XCTAssertEqual(s.precursorMZ, 337.2274)
        XCTAssertEqual(s.polarity, .positive)
        XCTAssertEqual(s.mz, [188.1427, 337.2283, 338.2312, 339.2338])
        XCTAssertEqual(s.metadata[SpectrumMetadataKey.licence], "CC BY-SA")
        XCTAssertEqual(s.metadata[SpectrumMetadataKey.formula], "C22H28N2O")
        XCTAssertEqual(s.metadata[SpectrumMetadataKey.inchiKey], "PJMPHNIQZUBGLI-UHFFFAOYSA-N")
        XCTAssertEqual(s.metadata[SpectrumMetadataKey.instrumentType], "LC-ESI-QTOF")
    }

    func testMassHunterPeakListTitleGivesPrecursorAndPolarity() throws {
        let url = try SpectraRefData.root().appendingPathComponent("nitazene_esi_csv/S02.csv")
        let s = try PeakListCSVReader().read(file: url)
        XCTAssertEqual(s.precursorMZ, 369.1929)
        XCTAssertEqual(s.precursorCharge, 1)
        XCTAssertEqual(s.polarity, .positive)
        XCTAssertEqual(s.peakCount, 10)
        XCTAssertEqual(s.mz[3], 100.1121)
    }

    func testErrorsNameFileLineAndExpectation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.msp")
        try "Name: X\nNum Peaks: 2\n41 59\nabc 12\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MSPReader().read(file: bad)) { error in
            XCTAssertEqual((error as? SpectralFileError)?.line, 4)
            XCTAssertTrue("\(error)".hasPrefix("bad.msp:4:"), "\(error)")
        }
        let short = dir.appendingPathComponent("short.msp")
        try "Name: Y\nNum Peaks: 3\n41 59\n\nName: Z\nNum Peaks: 0\n".write(to: short, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MSPReader().read(file: short)) { error in
            XCTAssertTrue("\(error)".contains("has 1 peaks, 'Num Peaks' says 3"), "\(error)")
        }
        let huge = dir.appendingPathComponent("huge.msp")
        try Data(repeating: UInt8(ascii: "A"), count: 2 << 20).write(to: huge)
        XCTAssertThrowsError(try MSPReader().read(file: huge)) { error in
            XCTAssertTrue("\(error)".contains("line longer than"), "\(error)")
        }
        let nonsense = dir.appendingPathComponent("x.txt")
        try "hello world\n".write(to: nonsense, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SpectralFileReader().read(file: nonsense))
    }

    func testNISTMultiplePeaksPerLineAndAnnotations() throws {
        let dir = FileManager.default.temporaryDirectory
        let url = dir.appendingPathComponent("multi-\(UUID().uuidString).msp")
        defer { try? FileManager.default.removeItem(at: url) }
        try "Name: A\r\nPrecursorMZ: 337.2274\r\nIon_mode: P\r\nNum Peaks: 3\r\n105.07 20; 188.14 100;\r\n281.2 5 \"b ion\"\r\n"
            .write(to: url, atomically: true, encoding: .utf8)
        let s = try XCTUnwrap(MSPReader().read(file: url).first)
        XCTAssertEqual(s.mz, [105.07, 188.14, 281.2])
        XCTAssertEqual(s.intensity, [20, 100, 5])
        XCTAssertEqual(s.polarity, .positive)
        XCTAssertEqual(IonisationKind(of: s), .esi)
    }
}
