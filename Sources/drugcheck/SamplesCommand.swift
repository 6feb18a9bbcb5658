import ArgumentParser
import DrugCheckModel
import DrugCheckPostgres
import DrugCheckReports
import DrugCheckStore
import Foundation

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "List, show, register and amend samples.",
        subcommands: [SamplesListCommand.self, SamplesShowCommand.self, SamplesRegisterCommand.self, SamplesAmendCommand.self],
        defaultSubcommand: SamplesListCommand.self
    )
}

struct SamplesListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List stored samples with their findings and classification (the default).",
        discussion: "Class names: \(ReportClass.allCases.map(\.rawValue).joined(separator: ", ")).\nWith --format json every sample carries its analyses, findings (with identification confidence) and classification."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "ISO week, e.g. 2026-W47.")
    var week: ISOWeek?

    @Option(name: .customLong("class"), help: "Only samples positive for this class.")
    var reportClass: ReportClass?

    @Option(name: .long, help: "Only this lab's samples.")
    var lab: String?

    @Option(name: .long, help: "Only samples with a result in this state: submitted (waiting for verification), verified or rejected.")
    var status: ResultStatus?

    @Option(name: .long, help: "table, json or csv.")
    var format: OutputFormat = .table

    func run() throws {
        var query = SampleQuery(week: week, reportClass: reportClass, labCode: lab)
        query.status = status
        let samples = try database.postgres().map { try query.fetch(from: PostgresMigrator.connectToCurrentSchema($0)) }
            ?? query.fetch(in: database.open())
        switch format {
        case .json: print(try JSONOutput.encode(samples.map(SampleDocument.init)))
        case .csv: print(csv(samples), terminator: "")
        case .table: print(table(samples), terminator: "")
        }
    }

    func row(_ s: StoredSample) -> [String] {
        let detected = s.sample.findings.filter(\.detected).map { $0.substanceID ?? $0.reportedName }
        return [s.sample.labCode, s.sample.labSampleID, s.week?.description ?? "-", s.sample.type.rawValue, s.sample.soldAs ?? "",
                s.sample.analyses.isEmpty ? "registered, no results yet" : detected.isEmpty ? "none detected" : detected.joined(separator: "+"),
                s.classification.map { $0.positiveClasses.map(\.rawValue).sorted().joined(separator: " ") } ?? "",
                s.classification?.unexpected == true ? "yes" : "", s.classification?.riskTier.rawValue ?? "",
                Self.status(s.sample)]
    }

    static let header = ["lab", "sample", "week", "type", "sold as", "detected", "classes", "unexpected", "risk", "status"]

    /// `verified`, `submitted` (waiting for verification: provisional) or `rejected`; mixed states listed.
    static func status(_ sample: Sample) -> String {
        let states = Set(sample.analyses.map(\.status))
        return ResultStatus.allCases.filter(states.contains).map(\.rawValue).joined(separator: "+")
    }

    func table(_ samples: [StoredSample]) -> String {
        samples.isEmpty ? "No samples match.\n" : TextTable(header: Self.header, rows: samples.map(row)).rendered
    }

    func csv(_ samples: [StoredSample]) -> String {
        var out = SpreadsheetSafeCSV()
        out.row(Self.header.map { .text($0.replacingOccurrences(of: " ", with: "_")) })
        for s in samples { out.row(row(s).map { .text($0) }) }
        return out.text
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

extension ISOWeek: ExpressibleByArgument {}
extension ReportClass: ExpressibleByArgument {}
extension ResultStatus: ExpressibleByArgument {}
