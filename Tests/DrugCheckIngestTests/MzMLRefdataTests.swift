import DrugCheckIngest
import Foundation
import XCTest

/// Every mzML of refdata (main set and twins) against pyopenms's reading of it
/// (Fixtures/mzml/expected.json, made by make_expected.py in the same folder).
final class MzMLRefdataTests: XCTestCase {
    func testEveryRefdataFileMatchesPyOpenMS() throws {
        let expected = try XCTUnwrap(try XMLTestPaths.json("expected.json")["files"] as? [String: [String: Any]])
        XCTAssertEqual(expected.count, 9)
        for (relative, entry) in expected.sorted(by: { $0.key < $1.key }) {
            let url = try XMLTestPaths.refdataFile("mzml/\(relative)")
            var spectra: [MzMLRecord] = []
            var chromatograms: [MzMLRecord] = []
            let run = try MzMLStreamParser(file: url).parse { record in
                if record.kind == .spectrum { spectra.append(record) } else { chromatograms.append(record) }
            }
            XCTAssertEqual(run.spectrumCount, entry["spectra"] as? Int, relative)
            XCTAssertEqual(run.peakCount, entry["peaks"] as? Int, relative)
            let perSpectrum = try XCTUnwrap(entry["perSpectrum"] as? [[String: Any]])
            XCTAssertEqual(spectra.count, perSpectrum.count, relative)
            for (record, want) in zip(spectra, perSpectrum) {
                XCTAssertEqual(record.id, want["id"] as? String, relative)
                XCTAssertEqual(record.msLevel, want["msLevel"] as? Int, "\(relative) \(record.id)")
                XCTAssertEqual(record.xValues.count, want["peaks"] as? Int, "\(relative) \(record.id)")
                assertClose(record.xValues.reduce(0, +), want["sumMZ"], "\(relative) \(record.id) m/z")
                assertClose(record.intensities.reduce(0, +), want["sumIntensity"], "\(relative) \(record.id) intensity")
            }
            let wantChromatograms = try XCTUnwrap(entry["chromatograms"] as? [[String: Any]])
            XCTAssertEqual(chromatograms.count, wantChromatograms.count, relative)
            for (record, want) in zip(chromatograms, wantChromatograms) {
                XCTAssertEqual(record.xValues.count, want["points"] as? Int, "\(relative) \(record.id)")
                // OpenMS keeps chromatogram times in seconds as written; numpress linear is lossy (≤ 5e-7 relative).
                assertClose(record.xValues.reduce(0, +), want["sumTime"], "\(relative) \(record.id) time", tolerance: 1e-6)
                assertClose(record.intensities.reduce(0, +), want["sumIntensity"], "\(relative) \(record.id) intensity", tolerance: 1e-6)
            }
        }
    }

    func testSubmissionFromTinyExample() throws {
        let url = try XMLTestPaths.refdataFile("mzml/hupo_tiny.pwiz.1.1.mzML")
        let submission = try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(submission.samples.count, 1)
        let sample = try XCTUnwrap(submission.samples.first)
        // tiny.pwiz: <run id="Experiment_x0020_1" sampleRef="_x0032_0090101_x0020_Sample_x0020_1"> and the
        // sampleList entry of that id is named "Sample 1".
        XCTAssertEqual(sample.labSampleID, "Sample 1")
        XCTAssertEqual(sample.type, .other)
        XCTAssertEqual(sample.analyses.count, 1)
        XCTAssertEqual(sample.analyses[0].findings.count, 0)
        XCTAssertEqual(sample.analyses[0].technique, .lcmsms)   // LCQ Deca: nanoelectrospray + quadrupole ion trap (MS:1000082)
        XCTAssertEqual(submission.spectra.count, 4)
        let ms2 = try XCTUnwrap(submission.spectra.first { $0.spectrum.msLevel == 2 }?.spectrum)
        XCTAssertEqual(ms2.precursorMZ ?? 0, 445.34, accuracy: 1e-9)
        XCTAssertEqual(ms2.precursorCharge, 2)
        XCTAssertEqual(ms2.retentionTimeSeconds ?? 0, 5.9905 * 60, accuracy: 1e-9)
        XCTAssertTrue(submission.notes.contains { $0.contains("2 chromatogram(s)") }, "\(submission.notes)")
        // Both chromatograms are attached to the analysis, as pyopenms reads them (expected.json).
        let chromatograms = submission.chromatograms.map(\.chromatogram)
        XCTAssertEqual(chromatograms.map(\.id), ["tic", "sic"])
        XCTAssertEqual(chromatograms.map(\.pointCount), [15, 10])
        XCTAssertEqual(chromatograms.first?.type, "total ion current chromatogram")
        XCTAssertEqual(chromatograms.map { $0.timesSeconds.reduce(0, +) }, [105, 45])
        XCTAssertEqual(chromatograms.map { $0.intensity.reduce(0, +) }, [120, 55])
        XCTAssertTrue(submission.chromatograms.allSatisfy { $0.sampleIndex == 0 && $0.analysisIndex == 0 })
    }

    func testSampleOptionOverridesAndLabIsRequired() throws {
        let url = try XMLTestPaths.refdataFile("mzml/pymzml_example.mzML")
        let submission = try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC", sampleID: "S-42"))
        XCTAssertEqual(submission.samples.first?.labSampleID, "S-42")
        XCTAssertEqual(submission.spectra.count, 11)
        let r = rejection { try MzMLReader().read(file: url, options: ImportOptions()) }
        XCTAssertTrue(r?.description.contains("--lab") ?? false, r?.description ?? "")
    }

    func assertClose(_ value: Double, _ expected: Any?, _ message: String, tolerance: Double = 1e-9,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard let want = expected as? Double ?? (expected as? Int).map(Double.init) else {
            return XCTFail("no expected value for \(message)", file: file, line: line)
        }
        XCTAssertEqual(value, want, accuracy: max(1e-9, abs(want) * tolerance), message, file: file, line: line)
    }
}
