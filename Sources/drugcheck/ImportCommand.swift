import ArgumentParser
import DrugCheckBulletins
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
            whole or not at all, and the early-warning triggers are evaluated afterwards: a rejected file is listed with every problem as file:line:column, kept \
            in the quarantine folder beside the database, and can be fixed and imported again. Importing \
            the same bytes twice does nothing the second time.

            Exit status: 0 when every file was imported (or already imported), 1 when any was rejected.
            """
    )

    @Argument(help: "Files or folders to import.")
    var paths: [String]

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Lab code to attribute results to when the file does not name one (must match when it does).")
    var lab: String?

    @Option(name: .long, help: "Sample id for mzML/AnIML files that do not carry one.")
    var sample: String?

    @Option(name: .long, help: "Largest file accepted, in bytes.")
    var maxBytes: Int64 = ImportOptions.defaultMaxBytes

    @Flag(name: .long, help: "Print the outcome per file as JSON.")
    var json = false

    func run() throws {
        let files = try FileCollector.collect(paths)
        let importer = FileImporter(database: try database.open())
        let options = ImportOptions(labCode: lab, sampleID: sample, maxBytes: maxBytes)
        var results: [ImportResult] = []
        for file in files {
            let result = try importer.importFile(at: file, displayName: file.relativePath.replacingOccurrences(of: "//", with: "/"), options: options)
            results.append(result)
            if !json { print(ImportSummary.text(result)) }
        }
        if json { print(try ImportSummary.json(results)) }
        if results.contains(where: { $0.outcome == .imported }) {
            // Early-warning triggers are evaluated after every import that changed the data.
            let scan = try BulletinScanner(database: importer.database).scan(actor: "import")
            if !json, !(scan.created.isEmpty && scan.updated.isEmpty) {
                print("bulletins: \(scan.created.count) new draft(s), \(scan.updated.count) updated, \(scan.published.count) published")
            }
        }
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
            lines += r.notes.filter { !$0.hasPrefix("not in the catalogue") }.map { "  \($0)" }
            return lines.joined(separator: "\n")
        case .rejected:
            return (["\(r.file): rejected (\(r.errors.count) problem\(r.errors.count == 1 ? "" : "s"))"]
                + r.errors.map { "  \(r.file):\($0.line):\($0.column): \($0.message)" }
                + r.notes.map { "  \($0)" }).joined(separator: "\n")
        }
    }

    static func json(_ results: [ImportResult]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(results), as: UTF8.self)
    }
}
