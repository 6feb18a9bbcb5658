import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

/// The reference data DrugCheck ships: the substance catalogue and the default spectral library
/// (`Resources/library/`, built by `Schemas/tools/build_library.py`). Load it once and pass it on.
///
/// ```swift
/// let reference = try ReferenceData.load()
/// let identifier = SpectrumIdentifier(library: reference.library, catalogue: reference.catalogue)
/// ```
public struct ReferenceData: Sendable {
    public let catalogue: SubstanceCatalogue
    /// The default library, named `drugcheck-default` with the version in `Resources/library/VERSION`.
    public let library: ReferenceLibrary

    public init(catalogue: SubstanceCatalogue, library: ReferenceLibrary) {
        self.catalogue = catalogue
        self.library = library
    }

    /// The bundled catalogue and the default library read from the bundled MSP files.
    public static func load() throws -> ReferenceData {
        guard let dir = Bundle.module.url(forResource: "library", withExtension: nil, subdirectory: "Resources") else {
            throw SpectralFileError(file: "Resources/library", line: 0, "the bundled reference library is missing")
        }
        let files = try FileManager.default.contentsOfDirectory(at: dir, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "msp" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        var spectra: [Spectrum] = []
        for file in files { spectra += try MSPReader().read(file: file) }
        let version = (try? String(contentsOf: dir.appendingPathComponent("VERSION"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unversioned"
        let catalogue = SubstanceCatalogue.bundled
        return ReferenceData(catalogue: catalogue,
                             library: ReferenceLibrary(name: "drugcheck-default", version: version, spectra: spectra, catalogue: catalogue))
    }

    /// The default library (unless `includeDefault` is false) plus every library stored in the
    /// database, searchable as one. Its version names every part, e.g. `2026.11.0+lab-ei@2026-11`,
    /// so results say which libraries produced them and change when a library is added.
    public func library(adding stored: SpectralLibraryStore, includeDefault: Bool = true,
                        settings: LibrarySearchSettings = LibrarySearchSettings()) throws -> ReferenceLibrary {
        let parts = try stored.contents()
        let entries = (includeDefault ? library.entries : []) + parts.flatMap { part in
            let label = "\(part.library.name) \(part.library.version)"
            return part.spectra.map { s in
                LibraryEntry(spectrum: s.spectrum, name: s.name, substanceClass: s.substanceClass, substanceID: s.substanceID,
                             source: s.spectrum.metadata[SpectrumMetadataKey.source] ?? label,
                             licence: s.spectrum.metadata[SpectrumMetadataKey.licence] ?? part.library.licence, library: label)
            }
        }
        let version = (includeDefault ? library.version : "none") + parts.map { "+\($0.library.name)@\($0.library.version)" }.joined()
        return ReferenceLibrary(name: includeDefault ? library.name : "drugcheck", version: version, entries: entries, settings: settings)
    }
}

extension ReferenceData {
    /// The identifier over the bundled library and every library stored in the database.
    public func identifier(adding stored: SpectralLibraryStore) throws -> SpectrumIdentifier {
        SpectrumIdentifier(library: try library(adding: stored), catalogue: catalogue)
    }
}
