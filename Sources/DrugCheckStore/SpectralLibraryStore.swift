import DrugCheckModel
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

    public init(file: String, sha256: String, records: Int) {
        self.file = file
        self.sha256 = sha256
        self.records = records
    }
}

/// One spectrum of a stored library with what it is (name, class, catalogue substance).
public struct LibrarySpectrum: Sendable {
    public var spectrum: Spectrum
    public var name: String
    public var substanceClass: SubstanceClass?
    public var substanceID: String?

    public init(spectrum: Spectrum, name: String, substanceClass: SubstanceClass?, substanceID: String?) {
        self.spectrum = spectrum
        self.name = name
        self.substanceClass = substanceClass
        self.substanceID = substanceID
    }
}

/// A library that cannot be stored as a whole (the same name and version twice, no spectra).
public struct LibraryImportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}

/// Spectral libraries in the database: a library and its spectra are stored whole or not at all,
/// and read back as they were stored, on SQLite or PostgreSQL (any ``StoredRowWriter``).
///
/// ```swift
/// let store = SpectralLibraryStore(database: db)         // or SpectralLibraryStore(store: postgresSession)
/// let lib = try store.insert(name: "lab-ei", version: "2026-11", source: "in-house", licence: "CC BY", files: files, spectra: spectra)
/// for part in try store.contents() { print(part.library.name, part.spectra.count) }
/// ```
public struct SpectralLibraryStore: Sendable {
    public let store: any StoredRowWriter

    public init(store: any StoredRowWriter) {
        self.store = store
    }

    public init(database: DrugCheckDatabase) {
        self.init(store: database)
    }

    /// Stores one library in one transaction; the same name and version twice is refused.
    public func insert(name: String, version: String, source: String, licence: String, files: [LibraryFile],
                       spectra: [LibrarySpectrum]) throws -> StoredLibrary {
        try store.writeTransaction { db in
            if case let .integer(existing)? = try db.rows("SELECT id FROM spectral_library WHERE name = ? AND version = ?",
                                                          [.text(name), .text(version)]).first?.first {
                throw LibraryImportError(description: "library '\(name)' version '\(version)' is already stored (id \(existing)); import the new files under another --version")
            }
            let importedAt = Date()
            guard case let .integer(libraryID)? = try db.rows("""
                INSERT INTO spectral_library (name, version, source, licence, files, record_count, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                RETURNING id
                """, [name, version, source, licence, JSONColumn.encode(files), spectra.count, importedAt].map(StoredValue.of)).first?.first else {
                throw StoredWriteError.noRowID("spectral_library")
            }
            for entry in spectra {
                let s = entry.spectrum
                let values: [(any DatabaseValueConvertible)?] = [
                    libraryID, s.id, entry.name, s.msLevel, s.precursorMZ, s.precursorCharge, s.polarity?.rawValue,
                    s.metadata[SpectrumMetadataKey.ionisation], s.metadata[SpectrumMetadataKey.instrumentType],
                    s.metadata[SpectrumMetadataKey.inchiKey], s.metadata[SpectrumMetadataKey.formula],
                    entry.substanceClass?.rawValue, entry.substanceID, s.peakCount,
                    PeakBlob.float64LE(s.mz), PeakBlob.float32LE(s.intensity), JSONColumn.encode(s.metadata),
                ]
                try db.execute("""
                    INSERT INTO library_spectrum (library_id, record_id, name, ms_level, precursor_mz, precursor_charge, polarity, ionisation,
                        instrument_type, inchikey, formula, substance_class, substance_id, peak_count, mz, intensity, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, values.map(StoredValue.of))
            }
            return StoredLibrary(id: libraryID, name: name, version: version, source: source, licence: licence,
                                 files: files, recordCount: spectra.count, importedAt: importedAt)
        }
    }

    /// Stored libraries, oldest first.
    public func list() throws -> [StoredLibrary] {
        try store.fetchRows("SELECT * FROM spectral_library ORDER BY id").map { row in
            StoredLibrary(id: row["id"], name: row["name"], version: row["version"], source: row["source"], licence: row["licence"],
                          files: JSONColumn.decode([LibraryFile].self, row["files"]) ?? [], recordCount: row["record_count"],
                          importedAt: row["imported_at"])
        }
    }

    /// Every stored library with its spectra, oldest first.
    public func contents() throws -> [(library: StoredLibrary, spectra: [LibrarySpectrum])] {
        try list().map { library in
            (library, try store.fetchRows("SELECT * FROM library_spectrum WHERE library_id = ? ORDER BY id", [.integer(library.id)]).map(Self.spectrum))
        }
    }

    static func spectrum(_ row: Row) throws -> LibrarySpectrum {
        let count: Int = row["peak_count"]
        let spectrum = Spectrum(id: row["record_id"], name: row["name"], msLevel: row["ms_level"], precursorMZ: row["precursor_mz"],
                                precursorCharge: row["precursor_charge"], polarity: (row["polarity"] as String?).flatMap(Polarity.init(rawValue:)),
                                mz: try PeakBlob.float64LE(row["mz"], count: count),
                                intensity: try PeakBlob.float32LE(row["intensity"], count: count),
                                metadata: JSONColumn.decode([String: String].self, row["metadata"]) ?? [:])
        return LibrarySpectrum(spectrum: spectrum, name: row["name"],
                               substanceClass: (row["substance_class"] as String?).flatMap(SubstanceClass.init(rawValue:)),
                               substanceID: row["substance_id"])
    }
}
