import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import Foundation
import XCTest

/// Locates refdata from this file's path and loads every refdata spectrum with its true class.
enum SpectraRefData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let spectra = packageRoot.appendingPathComponent("../shared/refdata/spectra").standardizedFileURL

    /// Fails the calling test (not skip) when refdata is missing.
    static func root(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        guard FileManager.default.fileExists(atPath: spectra.appendingPathComponent("INDEX.csv").path) else {
            XCTFail("refdata spectra not found at \(spectra.path)", file: file, line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        return spectra
    }

    struct Labelled {
        var spectrum: Spectrum
        var truth: IdentifiedClass
        var file: String
    }

    /// MassBank folder → class, the table the library build script uses.
    static func folderClasses() throws -> [String: SubstanceClass] {
        let url = packageRoot.appendingPathComponent("Sources/DrugCheckImport/Resources/library/compound_classes.csv")
        var result: [String: SubstanceClass] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
            let cols = line.split(separator: ",", omittingEmptySubsequences: false)
            result[String(cols[0])] = SubstanceClass(rawValue: String(cols[1]))
        }
        return result
    }

    /// Every spectrum listed in refdata `spectra/INDEX.csv`, labelled with its true class.
    static func all() throws -> [Labelled] {
        let root = try root()
        let classes = try folderClasses()
        var out: [Labelled] = []
        let massbank = root.appendingPathComponent("massbank")
        for folder in try FileManager.default.contentsOfDirectory(atPath: massbank.path).sorted() {
            let dir = massbank.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where name.hasSuffix(".txt") {
                for s in try MassBankRecordReader().read(file: dir.appendingPathComponent(name)) {
                    out.append(Labelled(spectrum: s, truth: IdentifiedClass(classes[folder]), file: "massbank/\(folder)/\(name)"))
                }
            }
        }
        for path in ["ei_msp/FentanylClassifier_SingleModFentanylLibrary_EI.msp", "esi_msp/FentanylHunter_Fentanyllibrary_noNIST.msp"] {
            for s in try MSPReader().read(file: root.appendingPathComponent(path)) {
                out.append(Labelled(spectrum: s, truth: .fentanylAnalogue, file: path))
            }
        }
        for name in ["S02", "S03", "S38", "exampleMS2"] {
            let s = try PeakListCSVReader().read(file: root.appendingPathComponent("nitazene_esi_csv/\(name).csv"))
            out.append(Labelled(spectrum: s, truth: .nitazene, file: "nitazene_esi_csv/\(name).csv"))
        }
        return out
    }
}
