import DrugCheckModel

/// One reference spectrum with what it is and where it may be used.
public struct LibraryEntry: Sendable {
    public var spectrum: Spectrum
    public var name: String
    public var substanceClass: SubstanceClass?
    public var substanceID: String?
    public var source: String
    public var licence: String
    /// The library the entry belongs to, as `name version` (search output says where a hit comes from).
    public var library: String

    public init(spectrum: Spectrum, name: String, substanceClass: SubstanceClass?, substanceID: String?,
                source: String, licence: String, library: String) {
        self.spectrum = spectrum
        self.name = name
        self.substanceClass = substanceClass
        self.substanceID = substanceID
        self.source = source
        self.licence = licence
        self.library = library
    }

    /// Class: the record's own `Class:` field, else the catalogue substance matched by InChIKey or name.
    ///
    /// ```swift
    /// let entry = LibraryEntry(resolving: spectrum, library: "lab-lib 1", catalogue: .bundled)
    /// entry.substanceClass // .fentanylAnalogue for a record whose InChIKey is fentanyl's
    /// ```
    public init(resolving s: Spectrum, library: String, catalogue: SubstanceCatalogue) {
        let entryName = s.name ?? s.id
        let byKey = s.metadata[SpectrumMetadataKey.inchiKey].flatMap { key in catalogue.substances.first { $0.inchiKey == key } }
        let substance = byKey ?? catalogue.match(entryName)
        let stated = s.metadata[SpectrumMetadataKey.substanceClass].flatMap(SubstanceClass.init(rawValue:))
        self.init(spectrum: s, name: entryName, substanceClass: stated ?? substance?.substanceClass,
                  substanceID: s.metadata[SpectrumMetadataKey.substanceID] ?? substance?.id,
                  source: s.metadata[SpectrumMetadataKey.source] ?? library,
                  licence: s.metadata[SpectrumMetadataKey.licence] ?? "unknown", library: library)
    }
}

/// A searchable reference library: entries split by ionisation, each part with a fragment index.
///
/// ```swift
/// let library = ReferenceLibrary(name: "lab-ei", version: "2026-11", spectra: spectra, catalogue: catalogue)
/// let hits = library.search(query, top: 5)
/// ```
public struct ReferenceLibrary: Sendable {
    public let name: String
    public let version: String
    public let entries: [LibraryEntry]
    public let settings: LibrarySearchSettings
    private let esi: (index: SpectralIndex, entries: [Int])
    private let ei: (index: SpectralIndex, entries: [Int])

    /// Entries resolved with ``LibraryEntry/init(resolving:library:catalogue:)``.
    public init(name: String, version: String, spectra: [Spectrum], catalogue: SubstanceCatalogue,
                settings: LibrarySearchSettings = LibrarySearchSettings()) {
        let label = "\(name) \(version)"
        self.init(name: name, version: version,
                  entries: spectra.map { LibraryEntry(resolving: $0, library: label, catalogue: catalogue) }, settings: settings)
    }

    public init(name: String, version: String, entries: [LibraryEntry], settings: LibrarySearchSettings = LibrarySearchSettings()) {
        self.name = name
        self.version = version
        self.entries = entries
        self.settings = settings
        let kinds = entries.map { IonisationKind(of: $0.spectrum) }
        let esiIDs = kinds.indices.filter { kinds[$0] == .esi }
        let eiIDs = kinds.indices.filter { kinds[$0] == .ei }
        esi = (SpectralIndex(library: esiIDs.map { entries[$0].spectrum }, cosine: settings.esiCosine), esiIDs)
        ei = (SpectralIndex(library: eiIDs.map { entries[$0].spectrum }, cosine: settings.eiCosine), eiIDs)
    }

    /// The library without the entries `exclude` selects (leave-one-out evaluation, lab curation).
    public func removing(where exclude: (LibraryEntry) -> Bool) -> ReferenceLibrary {
        ReferenceLibrary(name: name, version: version + "-subset", entries: entries.filter { !exclude($0) }, settings: settings)
    }

    /// Top hits among entries of the query's ionisation kind; `entry` indexes `entries`.
    public func search(_ query: Spectrum, top: Int) -> [SearchHit] {
        let part = IonisationKind(of: query) == .ei ? ei : esi
        return part.index.search(query, top: top, precursorTolerance: settings.precursorTolerance).map {
            SearchHit(entry: part.entries[$0.entry], score: $0.score, matchedPeaks: $0.matchedPeaks)
        }
    }
}

/// Library-search parameters; printed with results.
public struct LibrarySearchSettings: Sendable {
    /// ESI-MS/MS (high resolution): matchms CosineGreedy with 0.01 Da.
    public var esiCosine = CosineGreedy(tolerance: .da(0.01))
    /// EI (unit mass): 0.5 Da window so nominal m/z match.
    public var eiCosine = CosineGreedy(tolerance: .da(0.5))
    /// Precursor filter (Da); `nil` = open search over all precursors.
    public var precursorTolerance: Double?

    public init() {}
}
