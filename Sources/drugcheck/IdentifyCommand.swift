import ArgumentParser
import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import Foundation

/// `drugcheck identify FILE...`: classify every spectrum in the files without storing anything.
///
/// ```
/// drugcheck identify ../shared/refdata/spectra/nitazene_esi_csv/S02.csv --format json
/// ```
struct IdentifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Classify spectra (MSP, MassBank record, peak-list CSV, mzML): class, suspected new analogue, hits, level.",
        discussion: """
            Library search: matchms CosineGreedy (0.01 Da ESI, 0.5 Da EI) against the bundled library plus any --library files.
            Class rules: fentanyl scaffold ions (ESI, EI) and nitazene side-chain/benzyl ions (ESI), rules version shown.
            Confidence: Schymanski levels; the thresholds are printed with the results.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "Spectrum files.")
    var files: [String]

    @Option(name: .long, help: "Output format: table or json.")
    var format: Format = .table

    @Option(name: .long, help: "Additional library file (MSP or MassBank record); repeatable.")
    var library: [String] = []

    @Flag(name: .long, help: "Do not load the bundled default library (use only --library files).")
    var noDefaultLibrary = false

    @Option(name: .long, help: "Cosine score accepted as a library match (level 2a).")
    var minScore: Double = IdentificationThresholds().libraryMatchScore

    @Option(name: .long, help: "Hits listed per spectrum.")
    var top: Int = 5

    func run() throws {
        let reference = try ReferenceData.load()
        let catalogue = reference.catalogue
        let bundled = noDefaultLibrary ? nil : reference.library
        var spectra = bundled?.entries.map(\.spectrum) ?? []
        for path in library { spectra += try SpectralFileReader().read(file: URL(fileURLWithPath: path)) }
        let referenceLibrary = ReferenceLibrary(name: bundled?.name ?? "user",
                                                version: (bundled?.version ?? "") + (library.isEmpty ? "" : "+\(library.count) file(s)"),
                                                spectra: spectra, catalogue: catalogue)
        var thresholds = IdentificationThresholds()
        thresholds.libraryMatchScore = minScore
        thresholds.top = top
        let identifier = SpectrumIdentifier(library: referenceLibrary, catalogue: catalogue, thresholds: thresholds)

        var results: [SpectrumIdentification] = []
        var failed = false
        for path in files {
            do {
                try QuerySpectra.forEach(file: URL(fileURLWithPath: path)) { results.append(identifier.identify($0)) }
            } catch {
                FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
                failed = true
            }
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(results), as: UTF8.self))
        case .table:
            printTable(results, thresholds: thresholds, library: referenceLibrary)
        }
        if failed { throw ExitCode(1) }
    }

    private func printTable(_ results: [SpectrumIdentification], thresholds: IdentificationThresholds, library: ReferenceLibrary) {
        print("library: \(library.name) \(library.version) (\(library.entries.count) spectra); rules: \(ClassRuleSet.standard.version)")
        print("thresholds: \(thresholds.summary)")
        print(["spectrum", "class", "new?", "level", "top hit (cos)", "basis"].joined(separator: "\t"))
        for r in results {
            let top = r.hits.first.map { "\($0.name) (\(String(format: "%.3f", $0.score)))" } ?? "-"
            print([r.name.map { "\(r.spectrum) \($0)" } ?? r.spectrum, r.substanceClass.rawValue,
                   r.suspectedNewAnalogue ? "SUSPECTED NEW" : "no", r.level?.rawValue ?? "-", top, r.basis].joined(separator: "\t"))
        }
    }
}

/// Spectra of a query file of any supported kind, told apart by content.
enum QuerySpectra {
    static func forEach(file: URL, _ body: (Spectrum) throws -> Void) throws {
        let handle = try FileHandle(forReadingFrom: file)
        let head = handle.readData(ofLength: FormatDetector.sniffLength)
        try handle.close()
        if SpectralTextFormat.detect(head: head) == .msp {
            try MSPReader().forEach(file: file, body)
            return
        }
        if SpectralTextFormat.detect(head: head) != nil {
            try SpectralFileReader().read(file: file).forEach(body)
            return
        }
        switch FormatDetector.detect(head: head) {
        case .mzML:
            try MzMLStreamParser(file: file).parse { record in
                guard record.kind == .spectrum else { return }
                let s = try record.spectrum()
                if s.peakCount > 0 { try body(s) }
            }
        default:
            throw SpectralFileError(file: file.lastPathComponent, line: 1,
                                    "expected MSP, MassBank record, peak-list CSV or mzML")
        }
    }
}
