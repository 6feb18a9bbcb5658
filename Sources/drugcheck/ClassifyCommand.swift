import ArgumentParser
import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation

/// `drugcheck classify`: identify the spectra stored with samples and store the findings.
///
/// ```
/// drugcheck classify --all
/// drugcheck classify --sample BE-NICC/NICC-2026-0478 --format json
/// ```
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Identify stored sample spectra (library search, class rules, exact mass) and update the samples' classification.",
        discussion: """
            Searches the bundled default library plus every stored library (drugcheck library import). Each spectrum's result is \
            stored with the library and rules versions that produced it; a sample is identified again only when they changed. \
            Findings the lab reported keep the lab's stated identification; DrugCheck's own findings say assessedBy: drugcheck.
            """
    )

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "One sample: LAB/ID, or ID alone.") var sample: String?
    @Flag(name: .long, help: "Every stored sample.") var all = false
    @Option(name: .long, help: "table or json.") var format: ListFormat = .table

    func validate() throws {
        guard (sample == nil) != !all else { throw ValidationError("give either --sample LAB/ID or --all") }
    }

    func run() throws {
        let db = try database.writer()
        let reference = try ReferenceData.load()
        let identifier = try reference.identifier(adding: SpectralLibraryStore(store: db))
        let library = identifier.library
        let classifier = StoredSpectraClassifier(identifier: identifier, classifier: SampleClassifier(catalogue: reference.catalogue))
        let selection: SampleSelection
        if let sample {
            let parts = sample.split(separator: "/", maxSplits: 1).map(String.init)
            selection = parts.count == 2 ? .sample(lab: parts[0], id: parts[1]) : .sample(lab: nil, id: sample)
        } else {
            selection = .all
        }
        let results = try classifier.classify(selection, in: db)
        if results.isEmpty, let sample {
            FileHandle.standardError.write(Data("no stored sample '\(sample)'\n".utf8))
            throw ExitCode(1)
        }
        switch format {
        case .json: print(try JSONOutput.encode(results))
        case .table:
            print("library: \(classifier.libraryVersion) (\(library.entries.count) spectra); rules: \(classifier.rulesVersion)")
            print("thresholds: \(classifier.identifier.thresholds.summary)")
            let withSpectra = results.filter { $0.status != .noSpectra }
            let rows = withSpectra.map { r -> [String] in
                let found = r.spectra.filter { $0.level != nil && ($0.substanceClass != .unknown || $0.level == .level2a) }
                let summary = Dictionary(grouping: found) { $0.suspectedNewAnalogue ? "suspected new \($0.substanceClass.rawValue)" : ($0.substance ?? $0.substanceClass.rawValue) }
                    .map { key, value in "\(key) (\(value.compactMap(\.level).min()!.rawValue))" }.sorted().joined(separator: ", ")
                return [r.lab, r.sampleID, r.status.rawValue, String(r.spectra.count), summary.isEmpty ? "-" : summary,
                        r.classification.map { $0.positiveClasses.map(\.rawValue).sorted().joined(separator: " ") } ?? "",
                        r.classification?.suspectedNewAnalogue == true ? "yes" : ""]
            }
            print(TextTable(header: ["lab", "sample", "status", "spectra", "identified (level)", "classes", "suspected new"], rows: rows).rendered,
                  terminator: "")
            if withSpectra.count < results.count {
                print("\(results.count - withSpectra.count) sample(s) without stored spectra: classified from the lab's findings only.")
            }
        }
    }
}
