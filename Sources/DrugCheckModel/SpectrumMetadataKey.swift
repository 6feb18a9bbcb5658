/// The `Spectrum.metadata` keys the spectral readers fill, shared by every format so that
/// library search and class rules read one vocabulary.
///
/// ```swift
/// spectrum.metadata[SpectrumMetadataKey.licence] // "CC BY"
/// ```
public enum SpectrumMetadataKey {
    public static let formula = "formula"
    public static let inchiKey = "inchikey"
    public static let smiles = "smiles"
    public static let precursorType = "precursor_type"
    /// Instrument type as the source states it, e.g. `LC-ESI-QTOF`, `GC-EI-MS`.
    public static let instrumentType = "instrument_type"
    public static let instrument = "instrument"
    /// `EI` or `ESI` (or another ionisation name) when the file states or implies it.
    public static let ionisation = "ionisation"
    public static let collisionEnergy = "collision_energy"
    public static let licence = "licence"
    /// Where the spectrum comes from: database and record, or library file.
    public static let source = "source"
    public static let comment = "comment"
    public static let exactMass = "exact_mass"
    /// Substance class stated by a curated library (`fentanyl_analogue`, `nitazene`…).
    public static let substanceClass = "class"
    /// Catalogue substance id stated by a curated library.
    public static let substanceID = "substance_id"
}
