import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

/// What the lab states about a library it imports.
public struct LibraryImportOptions: Sendable {
    /// Default: the first file's name without extension.
    public var name: String?
    public var version: String
    /// Default: the imported file names.
    public var source: String?
    /// Library-wide licence; records that state their own keep it in their metadata.
    public var licence: String

    public init(name: String? = nil, version: String = "1", source: String? = nil, licence: String = "unknown") {
        self.name = name
        self.version = version
        self.source = source
        self.licence = licence
    }
}

/// Reads spectral library files (NIST MSP libraries, MassBank records) and stores them as one
/// library, each record's class and substance resolved against the catalogue.
///
/// ```swift
/// let importer = LibraryImporter(store: SpectralLibraryStore(database: db), catalogue: reference.catalogue)
/// let lib = try importer.importLibrary(files: [url], options: .init(name: "lab-ei", version: "2026-11", licence: "CC BY"))
/// ```
public struct LibraryImporter: Sendable {
    public let store: SpectralLibraryStore
    public let catalogue: SubstanceCatalogue

    public init(store: SpectralLibraryStore, catalogue: SubstanceCatalogue) {
        self.store = store
        self.catalogue = catalogue
    }

    /// Reads every file (folders are searched recursively) and stores them as one library in one
    /// transaction. Any unreadable record rejects the whole import with `file:line: problem` and
    /// stores nothing.
    public func importLibrary(files urls: [URL], options: LibraryImportOptions) throws -> StoredLibrary {
        let paths = try Self.expand(urls)
        guard let first = paths.first else { throw LibraryImportError(description: "no library files given") }
        var spectra: [Spectrum] = []
        var files: [LibraryFile] = []
        for url in paths {
            let read = try Self.readLibraryFile(url)
            guard !read.isEmpty else { throw SpectralFileError(file: url.lastPathComponent, line: 0, "no spectra in the file") }
            files.append(LibraryFile(file: url.lastPathComponent, sha256: try FileFingerprint(url).sha256, records: read.count))
            spectra += read
        }
        let name = options.name ?? first.deletingPathExtension().lastPathComponent
        let label = "\(name) \(options.version)"
        let resolved = spectra.map { s in
            let entry = LibraryEntry(resolving: s, library: label, catalogue: catalogue)
            return LibrarySpectrum(spectrum: s, name: entry.name, substanceClass: entry.substanceClass, substanceID: entry.substanceID)
        }
        return try store.insert(name: name, version: options.version, source: options.source ?? files.map(\.file).joined(separator: ", "),
                                licence: options.licence, files: files, spectra: resolved)
    }

    /// Spectra of one library file: MSP or MassBank record only (peak lists carry no identity).
    static func readLibraryFile(_ url: URL) throws -> [Spectrum] {
        switch try SpectralFileReader().format(of: url) {
        case .msp: return try MSPReader().read(file: url)
        case .massBank: return try MassBankRecordReader().read(file: url)
        case .peakListCSV, nil:
            throw SpectralFileError(file: url.lastPathComponent, line: 1,
                                    "not a spectral library: expected NIST MSP ('Name:' records) or a MassBank record ('ACCESSION:')")
        }
    }

    /// Files as given; folders replaced by their regular, non-hidden files (recursively, sorted).
    static func expand(_ urls: [URL]) throws -> [URL] {
        var result: [URL] = []
        for url in urls {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw SpectralFileError(file: url.lastPathComponent, line: 0, "no such file or folder: \(url.path)")
            }
            guard isDirectory.boolValue else { result.append(url); continue }
            let found = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                       options: [.skipsHiddenFiles])?.compactMap { $0 as? URL } ?? []
            result += found.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .sorted { $0.path < $1.path }
        }
        return result
    }
}
