import ArgumentParser
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import result files (findings CSV, DrugCheck results XML, mzML, AnIML).",
        discussion: """
            Give files or folders; folders are read recursively (hidden files and files starting with \
            'broken-' are skipped). The format is detected from each file's content. A file is imported \
            whole or not at all; spectra that come with a file (mzML, AnIML, results XML) are identified \
            during the import, and the early-warning triggers are evaluated afterwards. A rejected file is \
            listed with every problem as file:line:column, kept in the quarantine folder beside the \
            database (on PostgreSQL: $DRUGCHECK_QUARANTINE, else ./drugcheck-quarantine), and can be fixed and imported again. Importing the same bytes twice does nothing \
            the second time. Without --lab a findings CSV may hold several labs' rows (a national \
            collation); with --lab every row must be that lab's.

            A progress bar is drawn on a terminal for imports longer than about 2 seconds; when \
            standard error is not a terminal, a progress line is logged every 10 seconds.

            Exit status: 0 when every file was imported (or already imported), 1 when any was rejected.
            """
    )

    @Argument(help: "Files or folders to import.")
    var paths: [String]

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Lab code to attribute results to when the file does not name one (must match when it does).")
    var lab: String?

    @Option(name: .long, help: "JSON file with the bulletin trigger settings (as for 'drugcheck serve --bulletin-config').")
    var bulletinConfig: String?

    @Flag(name: .long, help: "Do not evaluate the bulletin triggers afterwards (a bulk load of past data; run 'drugcheck bulletins scan' when it is done).")
    var noBulletinScan = false

    @Option(name: .long, help: "Sample id for mzML/AnIML files that do not carry one.")
    var sample: String?

    @Option(name: .long, help: "Largest file accepted, in bytes.")
    var maxBytes: Int64 = ImportOptions.defaultMaxBytes

    @Option(name: .long, help: "Mapping profile for lab exports (see 'drugcheck profiles list'); default: chosen from each file's structure.")
    var profile: String?

    @Option(name: .customLong("profiles"), help: "Folder with the deployment's own mapping profiles, searched before the bundled ones (repeatable).")
    var profileDirectories: [String] = []

    @Flag(name: .long, help: "Print the outcome per file as JSON.")
    var json = false

    func run() throws {
        let files = try FileCollector.collect(paths)
        let pipeline = try deployment.pipeline(on: database, bulletinConfig: bulletinConfig, scan: !noBulletinScan)
        var options = ImportOptions(labCode: lab, sampleID: sample, maxBytes: maxBytes, profile: profile,
                                    profileDirectories: profileDirectories.map { URL(fileURLWithPath: $0) })
        options.importedBy = DeploymentOptions.cliActor
        var results: [ImportResult] = []
        let progress = json ? nil : ProgressDisplay.standardError()
        for file in files {
            let result = try pipeline.importFile(at: file, displayName: file.relativePath.replacingOccurrences(of: "//", with: "/"),
                                                 options: options, progress: progress)
            results.append(result)
            if !json { print(ImportSummary.text(result)) }
        }
        let reports = pipeline.notify(results)
        if json { print(try ImportSummary.json(results, observers: reports)) } else { ImportSummary.print(reports) }
        if results.contains(where: { $0.outcome == .rejected }) { throw ExitCode(1) }
    }
}

enum FileCollector {
    /// Expands folders into their files, sorted by path; skips hidden files and `broken-*` examples.
    static func collect(_ paths: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or folder: \(path)")
            }
            guard isDirectory.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let root = URL(fileURLWithPath: path)
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            let found = (enumerator?.allObjects as? [URL] ?? []).filter { url in
                (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
                    && !url.lastPathComponent.hasPrefix("broken-") && url.pathExtension.lowercased() != "md"
            }
            // Keep the user's spelling of the folder so messages show `Imports/x.csv`, not an absolute path.
            files += found.map { String($0.path.dropFirst(root.path.count)) }.sorted()
                .map { URL(fileURLWithPath: path + ($0.hasPrefix("/") || path.hasSuffix("/") ? "" : "/") + $0) }
        }
        return files
    }
}

enum ImportSummary {
    static func text(_ r: ImportResult) -> String {
        switch r.outcome {
        case .imported, .alreadyImported:
            var lines = ["\(r.file): \(r.outcome.rawValue.replacingOccurrences(of: "_", with: " ")) (\(r.format.rawValue)): \(r.samples) samples, \(r.findings) findings"]
            if !r.unmatched.isEmpty { lines.append("  unmatched names (stored as reported): \(r.unmatched.joined(separator: ", "))") }
            if !r.unmatchedRegions.isEmpty { lines.append("  unmatched regions (stored as written): \(r.unmatchedRegions.joined(separator: ", "))") }
            if let amended = r.amendedSamples {
                lines.append("  amended (earlier results kept, see `samples show LAB/ID --history`): \(amended.joined(separator: ", "))")
            }
            lines += r.notes.filter { !$0.hasPrefix("not in the catalogue") && !$0.hasPrefix("regions not recognised") }.map { "  \($0)" }
            return lines.joined(separator: "\n")
        case .rejected:
            return (["\(r.file): rejected (\(r.errors.count) problem\(r.errors.count == 1 ? "" : "s"))"]
                + r.errors.map { "  \(r.file):\($0.line):\($0.column): \($0.message)" }
                + r.notes.map { "  \($0)" }).joined(separator: "\n")
        }
    }

    /// The results array as before; an observer's failure is added to the results it followed
    /// as `observer_failures`, so the JSON stays an array of per-file outcomes.
    static func json(_ results: [ImportResult], observers: [ObserverReport] = []) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let failures = observers.compactMap { r in r.failure.map { "\(r.observer): \($0)" } }
        let documents = results.map { FileOutcome(result: $0, observerFailures: $0.outcome == .imported && !failures.isEmpty ? failures : nil) }
        return String(decoding: try encoder.encode(documents), as: UTF8.self)
    }

    /// Observer summaries to standard output, failures to standard error: the import stands either way.
    static func print(_ reports: [ObserverReport]) {
        for report in reports {
            if let summary = report.summary { Swift.print(summary) }
            if let failure = report.failure {
                FileHandle.standardError.write(Data("warning: the import stands, but the \(report.observer) failed: \(failure)\n".utf8))
            }
        }
    }

    /// One file's outcome in `--json`: the result's own fields, plus observer failures when any.
    struct FileOutcome: Encodable {
        var result: ImportResult
        var observerFailures: [String]?

        func encode(to encoder: Encoder) throws {
            try result.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(observerFailures, forKey: Key(stringValue: "observerFailures")!)
        }

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
