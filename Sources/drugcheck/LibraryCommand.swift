import ArgumentParser
import DrugCheckClassify
import DrugCheckImport
import DrugCheckIngest
import DrugCheckReports
import DrugCheckStore
import Foundation

/// `drugcheck library import|list|search`: reference spectral libraries stored in the database.
///
/// ```
/// drugcheck library import lab-ei.msp --name lab-ei --version 2026-11 --source "BE-NICC in-house" --licence CC-BY-4.0
/// drugcheck library list --format json
/// drugcheck library search unknown.msp --top 5 --tolerance 10ppm
/// ```
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Import, list and search reference spectral libraries (NIST MSP, MassBank records) stored in the database.",
        subcommands: [LibraryImport.self, LibraryList.self, LibrarySearch.self]
    )
}

struct LibraryImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store MSP libraries or MassBank records (files or folders) as one library, whole or not at all.",
        discussion: "A file that cannot be read rejects the whole import (file:line: problem, exit 1) and nothing is stored."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "MSP files, MassBank record files, or folders of them.") var files: [String]
    @Option(name: .long, help: "Library name (default: the first file's name).") var name: String?
    @Option(name: .long, help: "Library version; name and version are unique.") var version: String = "1"
    @Option(name: .long, help: "Where the spectra come from (default: the file names).") var source: String?
    @Option(name: .long, help: "Licence of the library (records may state their own).") var licence: String = "unknown"
    @Option(name: .long, help: "table or json.") var format: ListFormat = .table

    func run() throws {
        let importer = LibraryImporter(store: SpectralLibraryStore(store: try database.writer()), catalogue: .bundled)
        let library: StoredLibrary
        do {
            library = try importer.importLibrary(files: files.map { URL(fileURLWithPath: $0) },
                                              options: LibraryImportOptions(name: name, version: version, source: source, licence: licence))
        } catch let error as SpectralFileError {
            FileHandle.standardError.write(Data("rejected, nothing stored: \(error)\n".utf8))
            throw ExitCode(1)
        } catch let error as LibraryImportError {
            FileHandle.standardError.write(Data("rejected, nothing stored: \(error)\n".utf8))
            throw ExitCode(1)
        }
        switch format {
        case .json: print(try JSONOutput.encode(library))
        case .table: print("imported library \(library.id): \(library.name) \(library.version), \(library.recordCount) spectra from \(library.files.count) file(s), licence \(library.licence)")
        }
    }
}

struct LibraryList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the stored libraries (the bundled default is always searched too).")

    @OptionGroup var database: DatabaseOptions
    @Option(name: .long, help: "table or json.") var format: ListFormat = .table

    func run() throws {
        let libraries = try SpectralLibraryStore(store: database.writer()).list()
        switch format {
        case .json: print(try JSONOutput.encode(libraries))
        case .table:
            guard !libraries.isEmpty else { print("No stored libraries (the bundled default library is always searched)."); return }
            let rows = libraries.map { l in
                [String(l.id), l.name, l.version, String(l.recordCount), l.licence, l.source, ISO8601DateFormatter().string(from: l.importedAt)]
            }
            print(TextTable(header: ["id", "name", "version", "spectra", "licence", "source", "imported"], rows: rows).rendered, terminator: "")
        }
    }
}

struct LibrarySearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search query spectra against the bundled default library and every stored library.",
        discussion: "Score: matchms CosineGreedy (intensity power 1, m/z power 0). Default tolerance 0.01 Da for ESI, 0.5 Da for EI; --tolerance (e.g. 0.02, 0.02da, 10ppm) sets both."
    )

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "Query spectra (MSP, MassBank record, peak-list CSV, mzML).") var file: String
    @Option(name: .long, help: "Hits per query spectrum.") var top: Int = 5
    @Option(name: .long, help: "Fragment tolerance: Da (0.01, 0.01da) or ppm (10ppm).") var tolerance: CosineGreedy.Tolerance?
    @Flag(name: .long, help: "Search only the stored libraries, not the bundled default.") var noDefaultLibrary = false
    @Option(name: .long, help: "table or json.") var format: ListFormat = .table

    struct Result: Encodable {
        var spectrum: String
        var name: String?
        var hits: [ReportedHit]
    }

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        var settings = LibrarySearchSettings()
        if let tolerance {
            settings.esiCosine.tolerance = tolerance
            settings.eiCosine.tolerance = tolerance
        }
        let reference = try ReferenceData.load()
        let library = try reference.library(adding: SpectralLibraryStore(store: database.writer()),
                                            includeDefault: !noDefaultLibrary, settings: settings)
        var thresholds = IdentificationThresholds()
        thresholds.top = top
        let identifier = SpectrumIdentifier(library: library, catalogue: reference.catalogue, thresholds: thresholds)
        var results: [Result] = []
        do {
            try QuerySpectra.forEach(file: URL(fileURLWithPath: file)) { s in
                results.append(Result(spectrum: s.id, name: s.name, hits: identifier.identify(s).hits))
            }
        } catch {
            FileHandle.standardError.write(Data("\(file): \(error)\n".utf8))
            throw ExitCode(1)
        }
        switch format {
        case .json: print(try JSONOutput.encode(results))
        case .table:
            print("library: \(library.name) \(library.version) (\(library.entries.count) spectra)")
            let rows = results.flatMap { r in
                r.hits.isEmpty ? [[r.name ?? r.spectrum, "-", "no hit", "", "", "", ""]]
                    : r.hits.enumerated().map { n, h in
                        [n == 0 ? r.name ?? r.spectrum : "", String(n + 1), h.name, String(format: "%.4f", h.score), String(h.matchedPeaks),
                         h.substanceClass ?? "-", h.library]
                    }
            }
            print(TextTable(header: ["query", "rank", "hit", "cosine", "peaks", "class", "library"], rows: rows).rendered, terminator: "")
        }
    }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

extension CosineGreedy.Tolerance: ExpressibleByArgument {
    /// `0.01` or `0.01da` (Da), `10ppm` (ppm).
    public init?(argument: String) {
        let text = argument.lowercased().trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("ppm"), let v = Double(text.dropLast(3)), v > 0, v.isFinite { self = .ppm(v); return }
        let da = text.hasSuffix("da") ? String(text.dropLast(2)) : text
        guard let v = Double(da), v > 0, v.isFinite else { return nil }
        self = .da(v)
    }
}
