import ArgumentParser
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import Foundation

struct SamplesAmendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend",
        abstract: "Correct a sample's stored results with a corrected file, keeping the earlier version.",
        discussion: """
            The file's results for the samples named become the next version of each of their current \
            results of the same technique. Every version is kept with who imported it, when, from which \
            file and why (--reason); `drugcheck samples show LAB/ID --history` prints them and what changed. \
            The amended results wait for verification like any result: until a second person verifies them, \
            reports go on counting the earlier verified version. A published bulletin whose evidence was \
            amended is flagged for review (update or cancel).

            A corrected file sent the usual way (import, upload, drop folder) also amends the runs it \
            repeats (same technique, instrument, method and date), with the reason "corrected re-export".

            Exit status: 0 when amended, 1 when the file was rejected (nothing changed).
            """
    )

    @Argument(help: "Samples to amend, as LAB/ID (e.g. BE-DCA/DCA-47012).")
    var samples: [String]

    @Option(name: .long, help: "The corrected results: any file DrugCheck imports (findings CSV, lab export, results XML, mzML, AnIML).")
    var file: String

    @Option(name: .long, help: "Why the results are amended (kept with the new version and in the audit log).")
    var reason: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Sample id for files that carry none (mzML, AnIML); defaults to the one sample named.")
    var sample: String?

    @Option(name: .long, help: "Mapping profile for a lab export (see 'drugcheck profiles list'); default: chosen from the file's structure.")
    var profile: String?

    @Option(name: .long, help: "JSON file with the bulletin trigger settings (as for 'drugcheck serve --bulletin-config').")
    var bulletinConfig: String?

    @Flag(name: .long, help: "Print the outcome as JSON.")
    var json = false

    func validate() throws {
        guard !samples.isEmpty else { throw ValidationError("name the samples to amend as LAB/ID") }
        for s in samples where SampleReference(s) == nil { throw ValidationError("'\(s)' is not LAB/ID (e.g. BE-DCA/DCA-47012)") }
        guard Set(samples.compactMap { SampleReference($0)?.lab }).count == 1 else {
            throw ValidationError("an amendment holds one lab's samples: amend each lab's samples separately")
        }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--reason must say why the results are amended") }
        guard FileManager.default.fileExists(atPath: file) else { throw ValidationError("no such file: \(file)") }
    }

    func run() throws {
        let references = samples.compactMap(SampleReference.init)
        let pipeline = try deployment.pipeline(on: database, bulletinConfig: bulletinConfig)
        var options = ImportOptions(labCode: references[0].lab, sampleID: sample ?? (references.count == 1 ? references[0].sampleID : nil),
                                    profile: profile)
        options.importedBy = DeploymentOptions.cliActor
        let url = URL(fileURLWithPath: file)
        let result = try pipeline.importFile(at: url, displayName: url.relativePath, options: options,
                                             amending: Amendment(samples: references, reason: reason))
        let reports = pipeline.notify([result])
        if json { print(try ImportSummary.json([result], observers: reports)) } else { print(ImportSummary.text(result)); ImportSummary.print(reports) }
        if result.outcome == .rejected { throw ExitCode(1) }
    }
}
