import ArgumentParser
import DrugCheckClassify
import DrugCheckImport
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify (or reject) imported results as the second person, so reports count them.",
        discussion: """
            With a verification policy ('--verification-config' on import, watch and serve: {"required": true}), \
            imported results are 'submitted' and reports show them apart as PROVISIONAL until someone \
            who did not import them verifies them here (or a lab's automatic rule did on import). A \
            rejected result counts nowhere; its reason is kept. Each sample is decided on its own; one \
            refused (unknown, nothing pending, or imported by the verifier) does not hold back the others. \
            Decisions are committed in groups of 250 samples, each sample with its own audit entry.

            List what waits: drugcheck samples --status submitted

            Exit status: 0 when every sample was decided, 1 when any was refused.
            """
    )

    @Argument(help: "Samples as LAB/ID, e.g. BE-DCA/DCA-36001.")
    var samples: [String] = []

    @Flag(name: .long, help: "Every sample with a result waiting for verification (of --lab, when given).")
    var allPending = false

    @Option(name: .long, help: "Only this lab's samples (with --all-pending).")
    var lab: String?

    @Option(name: .long, help: "Reject the results with this reason instead of verifying them.")
    var reject: String?

    @Option(name: .customLong("as"), help: "Who verifies (default: cli: and $DRUGCHECK_USER or $USER); must not be who imported.")
    var verifier: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard allPending || !samples.isEmpty else { throw ValidationError("name samples as LAB/ID, or give --all-pending") }
        guard allPending == samples.isEmpty else { throw ValidationError("give samples or --all-pending, not both") }
        for s in samples where Self.reference(s) == nil { throw ValidationError("'\(s)' is not LAB/ID (e.g. BE-DCA/DCA-36001)") }
        if let reject, reject.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reject needs a reason") }
    }

    static func reference(_ text: String) -> (lab: String, sampleID: String)? {
        guard let slash = text.firstIndex(of: "/"), slash != text.startIndex, text.index(after: slash) != text.endIndex else { return nil }
        return (String(text[..<slash]), String(text[text.index(after: slash)...]))
    }

    func run() throws {
        let step = ResultVerification(store: try database.writer(), classifier: SampleClassifier(catalogue: .bundled))
        let refs = allPending ? try step.pending(lab: lab) : samples.compactMap(Self.reference)
        let outcomes = try step.decide(refs, reject.map { .reject(reason: $0) } ?? .verify, by: verifier ?? DeploymentOptions.cliActor)
        for o in outcomes {
            if let refused = o.refused { print("\(o.lab)/\(o.sampleID): not decided: \(refused)") } else {
                print("\(o.lab)/\(o.sampleID): \(reject == nil ? "verified" : "rejected") \(o.decided) result\(o.decided == 1 ? "" : "s")")
            }
        }
        if allPending && outcomes.isEmpty { print("Nothing waits for verification.") }
        if outcomes.contains(where: { $0.refused != nil }) { throw ExitCode(1) }
    }
}
