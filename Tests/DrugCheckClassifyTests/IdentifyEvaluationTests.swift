import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// The evaluation of issue 4 on the real refdata spectra; figures are copied to BENCHMARKS.md.
final class IdentifyEvaluationTests: XCTestCase {
    func testConfusionMatrixOverAllRefdataSpectra() throws {
        let reference = try ReferenceData.load()
        let identifier = SpectrumIdentifier(library: reference.library, catalogue: reference.catalogue)
        var matrix: [IdentifiedClass: [IdentifiedClass: Int]] = [:]
        var falsePositives: [String] = []
        var missed: [String] = []
        for item in try SpectraRefData.all() {
            let result = identifier.identify(item.spectrum)
            matrix[item.truth, default: [:]][result.substanceClass, default: 0] += 1
            if !item.truth.isOpioid && result.substanceClass.isOpioid { falsePositives.append("\(item.file) \(item.spectrum.id)") }
            if [.fentanylAnalogue, .nitazene].contains(item.truth) && result.substanceClass != item.truth {
                missed.append("\(item.file) \(item.spectrum.name ?? item.spectrum.id) → \(result.substanceClass.rawValue)")
            }
        }
        let columns = IdentifiedClass.allCases
        print("CONFUSION truth \\ identified | " + columns.map(\.rawValue).joined(separator: " | "))
        for truth in columns where matrix[truth] != nil {
            print("CONFUSION \(truth.rawValue) | " + columns.map { String(matrix[truth]?[$0] ?? 0) }.joined(separator: " | "))
        }
        missed.forEach { print("MISSED \($0)") }
        XCTAssertEqual(falsePositives, [], "non-opioids put in an opioid class")
        let nitazenes = matrix[.nitazene] ?? [:]
        XCTAssertEqual(nitazenes[.nitazene], nitazenes.values.reduce(0, +))
        let fentanyls = matrix[.fentanylAnalogue] ?? [:]
        let recall = Double(fentanyls[.fentanylAnalogue] ?? 0) / Double(fentanyls.values.reduce(0, +))
        print("CONFUSION fentanyl recall \(recall)")
        XCTAssertGreaterThanOrEqual(recall, 288.0 / 295) // 288/295 with rules-2026.2 on 2026-11-23 (BENCHMARKS.md)
    }

    /// Each fentanyl analogue of the library, with every library spectrum of the same compound
    /// removed, must still be flagged by a fentanyl class rule.
    func testLeaveOneOutFentanylAnaloguesStillFlaggedByClassRules() throws {
        let reference = try ReferenceData.load()
        let library = reference.library
        var flagged = 0, total = 0
        var notFlagged: [String] = []
        for entry in library.entries where entry.substanceClass == .fentanylAnalogue {
            let key = entry.spectrum.metadata[SpectrumMetadataKey.inchiKey] ?? entry.name
            let reduced = library.removing { ($0.spectrum.metadata[SpectrumMetadataKey.inchiKey] ?? $0.name) == key }
            let result = SpectrumIdentifier(library: reduced, catalogue: reference.catalogue).identify(entry.spectrum)
            total += 1
            if result.substanceClass == .fentanylAnalogue, result.evidence.contains(where: { $0.substanceClass == .fentanylAnalogue }) {
                flagged += 1
            } else {
                notFlagged.append("\(entry.name) [\(entry.source)] → \(result.substanceClass.rawValue)")
            }
        }
        notFlagged.forEach { print("LOO not flagged: \($0)") }
        print("LOO flagged \(flagged)/\(total) = \(Double(flagged) / Double(total))")
        XCTAssertGreaterThan(total, 90)
        XCTAssertGreaterThanOrEqual(flagged, 70) // 70/128 with rules-2026.2 on 2026-11-23 (BENCHMARKS.md)
    }

    func testSuspectedNewNitazeneWithoutLibraryEntry() throws {
        let reference = try ReferenceData.load()
        let library = reference.library.removing { $0.substanceClass == .nitazene }
        let s = try PeakListCSVReader().read(file: try SpectraRefData.root().appendingPathComponent("nitazene_esi_csv/S38.csv"))
        let result = SpectrumIdentifier(library: library, catalogue: reference.catalogue).identify(s)
        XCTAssertEqual(result.substanceClass, .nitazene)
        XCTAssertTrue(result.suspectedNewAnalogue)
        XCTAssertEqual(result.level, .level2b)
        XCTAssertTrue(result.evidence[0].ions.contains { $0.hasPrefix("C10H13O+ 149.0961") }, "\(result.evidence)") // propoxybenzyl
    }
}
