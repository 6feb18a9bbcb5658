import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// AnIML: the Imports/ example and the real refdata documents import, and what is not
/// understood is listed in the notes.
final class AnIMLTests: XCTestCase {
    func testExampleImportsSpectrumAndReportsTheRest() throws {
        let url = XMLTestPaths.packageRoot.appendingPathComponent("Imports/animl-example.animl")
        let head = try FileHandle(forReadingFrom: url).read(upToCount: FormatDetector.sniffLength) ?? Data()
        XCTAssertEqual(FormatDetector.detect(head: head), .animl)
        let s = try AnIMLReader().read(file: url, options: ImportOptions())
        let sample = try XCTUnwrap(s.samples.first)
        XCTAssertEqual(sample.labCode, "BE-NICC")
        XCTAssertEqual(sample.labSampleID, "NICC-2026-0466")
        XCTAssertEqual(sample.type, .powder)
        XCTAssertEqual(sample.source, .drugChecking)
        XCTAssertEqual(sample.soldAs, "heroin")
        XCTAssertEqual(sample.collectedOn?.description, "2026-11-12")
        XCTAssertEqual(sample.region, "BE100")
        XCTAssertEqual(sample.attributes, ["Container/mass": "0.12"])
        XCTAssertEqual(sample.analyses.first?.technique, .gcms)
        XCTAssertEqual(sample.analyses.first?.instrument, "Agilent 8890/5977B")
        XCTAssertEqual(sample.analyses.first?.analysedOn?.description, "2026-11-13")
        XCTAssertEqual(s.spectra.count, 1)
        let spectrum = s.spectra[0].spectrum
        XCTAssertEqual(spectrum.mz.first, 77.0386)
        XCTAssertEqual(spectrum.intensity, [3000, 45000, 7000, 9000, 5000, 100000, 4000, 12000])
        // The TIC: 14.0 min, then 0.1 min steps (the series' SIUnit: s × 60), on the spectrum's analysis.
        XCTAssertEqual(s.chromatograms.count, 1)
        let tic = s.chromatograms[0]
        XCTAssertEqual(tic.chromatogram.id, "GC-MS screen/TIC")
        XCTAssertEqual(tic.chromatogram.timesSeconds.count, 5)
        for (time, want) in zip(tic.chromatogram.timesSeconds, [840.0, 846, 852, 858, 864]) { XCTAssertEqual(time, want, accuracy: 1e-9) }
        XCTAssertEqual(tic.chromatogram.intensity, [1200, 8800, 185000, 9400, 1500])
        XCTAssertEqual(tic.analysisIndex, s.spectra[0].analysisIndex)
        XCTAssertEqual(tic.sampleIndex, s.spectra[0].sampleIndex)
        XCTAssertTrue(s.notes.contains { $0.contains("1 chromatogram(s): \"GC-MS screen/TIC\" (5 points)") }, "\(s.notes)")
        XCTAssertTrue(s.notes.contains { $0.contains("\"Peaks\" (Peak Name, Area) not understood") }, "\(s.notes)")
    }

    /// The time unit comes from the series: a `Unit` label alone, or none at all (read as minutes, said in the notes).
    func testChromatogramTimeUnitFromLabelOrAssumedMinutes() throws {
        let example = try String(contentsOf: XMLTestPaths.packageRoot.appendingPathComponent("Imports/animl-example.animl"), encoding: .utf8)
        let unit = #"<Unit label="min" quantity="time"><SIUnit factor="60">s</SIUnit></Unit>"#
        XCTAssertTrue(example.contains(unit))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("animl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func read(_ replacement: String) throws -> Submission {
            let url = directory.appendingPathComponent("\(UUID().uuidString).animl")
            try Data(example.replacingOccurrences(of: unit, with: replacement).utf8).write(to: url)
            return try AnIMLReader().read(file: url, options: ImportOptions())
        }
        let seconds = try read(#"<Unit label="s"/>"#)
        XCTAssertEqual(seconds.chromatograms.first?.chromatogram.timesSeconds.first ?? 0, 14.0, accuracy: 1e-9)
        XCTAssertFalse(seconds.notes.contains { $0.contains("read as minutes") }, "\(seconds.notes)")
        let unstated = try read("")
        XCTAssertEqual(unstated.chromatograms.first?.chromatogram.timesSeconds.last ?? 0, 864, accuracy: 1e-9)
        XCTAssertTrue(unstated.notes.contains { $0.contains("chromatogram \"TIC\" states no time unit: read as minutes") }, "\(unstated.notes)")
    }

    func testRealMicroplateDocumentImportsWithNotes() throws {
        let url = try XMLTestPaths.refdataFile("animl/fairchem_real_life.animl")
        let s = try AnIMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(s.samples.map(\.labSampleID), ["plate_0"])
        XCTAssertEqual(s.samples[0].attributes["SiLA Labware Properties/Rows"], "8")
        XCTAssertEqual(s.samples[0].analyses.first?.instrument, "Varioskan LUX")
        XCTAssertEqual(s.samples[0].analyses.first?.analysedOn?.description, "2020-06-22")
        XCTAssertEqual(s.spectra.count, 0)
        // The absorbance read is neither a mass spectrum nor a chromatogram.
        XCTAssertTrue(s.notes.contains { $0.contains("not understood") }, "\(s.notes)")
        XCTAssertTrue(s.notes.contains { $0.contains("AuditTrailEntrySet") }, "\(s.notes)")
    }

    func testLibraryTestDocumentImportsBothSamples() throws {
        let url = try XMLTestPaths.refdataFile("animl/py-animl_animl_0.90.xml")
        let s = try AnIMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
        XCTAssertEqual(s.samples.map(\.labSampleID), ["js1", "s1"])
        XCTAssertEqual(s.samples[0].attributes["data1/sub-data2/magic"], "42")
        XCTAssertEqual(s.samples[0].attributes["my_tag"], "tag1")
        XCTAssertTrue(s.notes.contains { $0.contains("data-set-1") && $0.contains("not understood") }, "\(s.notes)")
    }

    func testLabIsRequired() throws {
        let url = try XMLTestPaths.refdataFile("animl/fairchem_real_life.animl")
        let r = rejection { try AnIMLReader().read(file: url, options: ImportOptions()) }
        XCTAssertTrue(r?.description.contains("--lab") ?? false, r?.description ?? "")
    }
}
