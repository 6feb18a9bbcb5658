import Crypto
import DrugCheckClassify
import DrugCheckIngest
import Foundation
import GRDB

/// A reference library stored in the database, as `drugcheck library list` shows it.
public struct StoredLibrary: Codable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var version: String
    public var source: String
    public var licence: String
    public var files: [LibraryFile]
    public var recordCount: Int
    public var importedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, version, source, licence, files
        case recordCount = "records"
        case importedAt = "imported_at"
    }
}

/// One imported file of a library.
public struct LibraryFile: Codable, Sendable, Hashable {
    public var file: String
    public var sha256: String
    public var records: Int
}

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

/// A library that cannot be stored as a whole (the same name and version twice, no spectra).
public struct LibraryImportError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Spectral libraries in the database: import (whole or nothing), list, and the searchable
/// library of the bundled default plus every stored library.
///
/// ```swift
/// let store = SpectralLibraryStore(database: db)
/// let lib = try store.importLibrary(files: [url], options: .init(name: "lab-ei", version: "2026-11", licence: "CC BY"))
/// let identifier = SpectrumIdentifier(library: try store.referenceLibrary())
/// ```
public struct SpectralLibraryStore: Sendable {
    public let database: DrugCheckDatabase
    public let catalogue: SubstanceCatalogue

    public init(database: DrugCheckDatabase, catalogue: SubstanceCatalogue = .bundled) {
        self.database = database
        self.catalogue = catalogue
    }

    /// Reads every file (MSP library or MassBank record; folders are searched recursively) and
    /// stores them as one library in one transaction. Any unreadable record rejects the whole
    /// import with `file:line: problem` and stores nothing.
    public func importLibrary(files urls: [URL], options: LibraryImportOptions) throws -> StoredLibrary {
        let paths = try Self.expand(urls)
        guard let first = paths.first else { throw LibraryImportError(description: "no library files given") }
        var spectra: [Spectrum] = []
        var files: [LibraryFile] = []
        for url in paths {
            let read = try Self.readLibraryFile(url)
            guard !read.isEmpty else { throw SpectralFileError(file: url.lastPathComponent, line: 0, "no spectra in the file") }
            files.append(LibraryFile(file: url.lastPathComponent, sha256: try Self.sha256(of: url), records: read.count))
            spectra += read
        }
        let name = options.name ?? first.deletingPathExtension().lastPathComponent
        let source = options.source ?? files.map(\.file).joined(separator: ", ")
        let label = "\(name) \(options.version)"
        return try database.pool.write { db in
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM spectral_library WHERE name = ? AND version = ?",
                                                 arguments: [name, options.version]) {
                throw LibraryImportError(description: "library '\(name)' version '\(options.version)' is already stored (id \(existing)); import the new files under another --version")
            }
            let importedAt = Date()
            try db.execute(sql: """
                INSERT INTO spectral_library (name, version, source, licence, files, record_count, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, options.version, source, options.licence, JSONColumn.encode(files), spectra.count, importedAt])
            let libraryID = db.lastInsertedRowID
            for s in spectra {
                let entry = LibraryEntry(resolving: s, library: label, catalogue: catalogue)
                try db.execute(sql: """
                    INSERT INTO library_spectrum (library_id, record_id, name, ms_level, precursor_mz, precursor_charge, polarity, ionisation,
                        instrument_type, inchikey, formula, substance_class, substance_id, peak_count, mz, intensity, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [libraryID, s.id, entry.name, s.msLevel, s.precursorMZ, s.precursorCharge, s.polarity?.rawValue,
                                     s.metadata[SpectrumMetadataKey.ionisation], s.metadata[SpectrumMetadataKey.instrumentType],
                                     s.metadata[SpectrumMetadataKey.inchiKey], s.metadata[SpectrumMetadataKey.formula],
                                     entry.substanceClass?.rawValue, entry.substanceID, s.peakCount,
                                     PeakBlob.float64LE(s.mz), PeakBlob.float32LE(s.intensity), JSONColumn.encode(s.metadata)])
            }
            return StoredLibrary(id: libraryID, name: name, version: options.version, source: source, licence: options.licence,
                                 files: files, recordCount: spectra.count, importedAt: importedAt)
        }
    }

    /// Stored libraries, oldest first.
    public func list() throws -> [StoredLibrary] {
        try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM spectral_library ORDER BY id").map { row in
                StoredLibrary(id: row["id"], name: row["name"], version: row["version"], source: row["source"], licence: row["licence"],
                              files: JSONColumn.decode([LibraryFile].self, row["files"]) ?? [], recordCount: row["record_count"],
                              importedAt: row["imported_at"])
            }
        }
    }

    /// The bundled default library (unless `includeDefault` is false) plus every stored library,
    /// searchable as one. Its version names every part, e.g. `2026.11.0+lab-ei@2026-11`, so results
    /// say which libraries produced them and change when a library is added.
    public func referenceLibrary(includeDefault: Bool = true, settings: LibrarySearchSettings = LibrarySearchSettings()) throws -> ReferenceLibrary {
        let bundled = includeDefault ? try ReferenceLibrary.bundled(catalogue: catalogue) : nil
        let stored = try database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, version, licence FROM spectral_library ORDER BY id").map { library in
                let name: String = library["name"], libraryVersion: String = library["version"], licence: String = library["licence"]
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM library_spectrum WHERE library_id = ? ORDER BY id",
                                            arguments: [library["id"] as Int64])
                return (part: "+\(name)@\(libraryVersion)",
                        entries: try rows.map { try Self.entry($0, library: "\(name) \(libraryVersion)", licence: licence) })
            }
        }
        let entries = (bundled?.entries ?? []) + stored.flatMap(\.entries)
        let version = (bundled?.version ?? "none") + stored.map(\.part).joined()
        return ReferenceLibrary(name: bundled?.name ?? "drugcheck", version: version, entries: entries, settings: settings)
    }

    static func entry(_ row: Row, library: String, licence: String) throws -> LibraryEntry {
        let count: Int = row["peak_count"]
        let metadata = JSONColumn.decode([String: String].self, row["metadata"]) ?? [:]
        let spectrum = Spectrum(id: row["record_id"], name: row["name"], msLevel: row["ms_level"], precursorMZ: row["precursor_mz"],
                                precursorCharge: row["precursor_charge"], polarity: (row["polarity"] as String?).flatMap(Polarity.init(rawValue:)),
                                mz: try PeakBlob.float64LE(row["mz"], count: count),
                                intensity: try PeakBlob.float32LE(row["intensity"], count: count), metadata: metadata)
        return LibraryEntry(spectrum: spectrum, name: row["name"],
                            substanceClass: (row["substance_class"] as String?).flatMap(SubstanceClass.init(rawValue:)),
                            substanceID: row["substance_id"], source: metadata[SpectrumMetadataKey.source] ?? library,
                            licence: metadata[SpectrumMetadataKey.licence] ?? licence, library: library)
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

extension SpectralLibraryStore {
    static func sha256(of url: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: url)).map { String(format: "%02x", $0) }.joined()
    }
}
