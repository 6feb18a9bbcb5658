import ArgumentParser
import DrugCheckImport
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckStore
import Foundation

struct SamplesShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one sample with its results; --history prints every version of them and what changed.",
        discussion: """
            A version is what one file brought: the first import, a corrected re-export of the same runs, or an \
            amendment (`drugcheck samples amend`). Each lists who imported it, when, from which file and why, \
            its verification, whether reports count it now, and the changes from the version it replaced \
            (substances found or no longer found, concentrations changed).
            """
    )

    @Argument(help: "The sample as LAB/ID, e.g. BE-DCA/DCA-47012.")
    var sample: String

    @OptionGroup var database: DatabaseOptions

    @Flag(name: .long, help: "Print every version of the sample's results and what changed.")
    var history = false

    @Option(name: .long, help: "text or json.")
    var format: TextOrJSON = .text

    func validate() throws {
        guard SampleReference(sample) != nil else { throw ValidationError("'\(sample)' is not LAB/ID (e.g. BE-DCA/DCA-47012)") }
    }

    func run() throws {
        let ref = SampleReference(sample)!
        var query = SampleQuery(labCode: ref.lab)
        query.labSampleID = ref.sampleID
        let (stored, versions): (StoredSample?, [AnalysisVersion]?)
        if let location = try database.postgres() {
            let session = try PostgresMigrator.connectToCurrentSchema(location)
            (stored, versions) = (try query.fetch(from: session).first,
                                  try session.analysisVersions(lab: ref.lab, sampleID: ref.sampleID))
        } else {
            let db = try database.open()
            (stored, versions) = (try query.fetch(in: db).first, try db.analysisVersions(lab: ref.lab, sampleID: ref.sampleID))
        }
        guard let stored, let versions else {
            FileHandle.standardError.write(Data("no sample \(ref) in \(database.path): see `drugcheck samples --lab \(ref.lab)`\n".utf8))
            throw ExitCode(1)
        }
        let document = SampleHistoryDocument(stored, versions: history ? versions : nil)
        print(format == .json ? try JSONOutput.encode(document) : document.text)
    }
}

enum TextOrJSON: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A sample as `samples show` prints it: the sample as reports see it, and with `--history`
/// each version its files brought, with what changed.
struct SampleHistoryDocument: Encodable {
    var current: SampleDocument
    var versions: [SampleVersion]?

    init(_ stored: StoredSample, versions: [AnalysisVersion]?) {
        current = SampleDocument(stored)
        self.versions = versions.map(SampleVersion.grouped)
    }

    var text: String {
        let s = current.sample
        var lines = ["\(current.lab)/\(current.sampleID)  week \(current.week ?? "-")  \(s.type.rawValue)"
                     + (s.soldAs.map { "  sold as \($0)" } ?? "")]
        if let c = current.classification {
            lines.append("classes: \(c.positiveClasses.map(\.rawValue).sorted().joined(separator: " ").ifEmpty("none"))  risk \(c.riskTier.rawValue)"
                         + (c.unexpected ? "  unexpected" : ""))
        }
        for a in s.analyses { lines.append("  " + Self.describe(a)) }
        if s.analyses.isEmpty { lines.append("  registered, no results yet") }
        for v in versions ?? [] {
            lines.append("")
            lines.append("Version \(v.version): batch \(v.batchID), \(v.file), imported by \(v.importedBy ?? "cli") on \(v.receivedAt.formatted(.iso8601))"
                         + (v.results.contains { !$0.supersedes.isEmpty } ? ", reason: \(v.reason ?? "corrected re-export of the same runs")" : ""))
            for r in v.results {
                let fate = r.analysis.supersededBy.map { "superseded by result \($0)" } ?? (r.analysis.counted ? "counted" : "not counted")
                lines.append("  result \(r.analysis.analysisID): \(Self.describe(r.analysis.analysis)) — \(fate)")
                if !r.supersedes.isEmpty {
                    lines.append("    replaces result \(r.supersedes.map(String.init).joined(separator: ", ")): "
                                 + (r.changes.isEmpty ? "no change in what was found" : r.changes.joined(separator: "; ")))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ a: Analysis) -> String {
        let found = a.findings.filter(\.detected).map { f in
            (f.substanceID ?? f.reportedName) + (f.concentration.map { " \($0.value.formatted()) \($0.unit.rawValue)" } ?? "")
        }
        let decided = a.verification.map { v in
            v.status.rawValue + (v.verifiedBy.map { " by \($0)" } ?? v.rule.map { " by rule \($0)" } ?? "") + (v.reason.map { " (\($0))" } ?? "")
        } ?? "submitted, awaiting verification"
        return "\(a.technique.rawValue)\(a.analysedOn.map { " \($0)" } ?? ""): \(found.isEmpty ? "none detected" : found.joined(separator: ", ")) [\(decided)]"
    }
}

private extension String {
    func ifEmpty(_ other: String) -> String { isEmpty ? other : self }
}
