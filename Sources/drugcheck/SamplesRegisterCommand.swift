import ArgumentParser
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import Foundation

struct SamplesRegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register samples from a manifest before their results arrive.",
        discussion: """
            A manifest is a CSV with the canonical sample columns and no result columns: sample_id and \
            sample_type are required; lab (or --lab), source, sold_as, description, brand, flavour, \
            colour, logo, collected_on, region and seizure_context are optional (Schemas/findings-csv.md, \
            "Sample registration"). Instrument exports that carry only sample ids then attach their \
            results to these samples; an export naming an id that is not registered is rejected with \
            the unknown ids listed. A registered sample counts in no report until results arrive.

            Registering a sample again completes the fields it left empty and never erases a value. \
            A manifest is registered whole or not at all; the same bytes twice do nothing the second time.

            Exit status: 0 when every manifest was registered (or already was), 1 when any was rejected.
            """
    )

    @Argument(help: "Manifest files (CSV).")
    var files: [String]

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Lab code of the samples when the manifest has no lab column (must match when it has).")
    var lab: String?

    @Flag(name: .long, help: "Print the outcome per file as JSON.")
    var json = false

    func run() throws {
        let urls = try FileCollector.collect(files)
        let pipeline = try deployment.applied(to: .standard(store: try database.importBackend().imports, observers: []))
        var options = ImportOptions(labCode: lab, expecting: .sampleManifest)
        options.importedBy = DeploymentOptions.cliActor
        var results: [ImportResult] = []
        for url in urls {
            let result = try pipeline.importFile(at: url, displayName: url.relativePath, options: options)
            results.append(result)
            if !json { print(ImportSummary.text(result)) }
        }
        if json { print(try ImportSummary.json(results)) }
        if results.contains(where: { $0.outcome == .rejected }) { throw ExitCode(1) }
    }
}
