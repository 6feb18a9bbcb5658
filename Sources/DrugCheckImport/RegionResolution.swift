import DrugCheckModel

/// The import's region step: a sample's region text becomes a NUTS code at the deployment's
/// reporting level (``RegionCatalogue``), read in the lab's country where a name is shared
/// across borders. The text as the lab wrote it is kept in the sample's attributes
/// (`region_as_written`) when it was not already that code; text that names no known region
/// is stored as written and listed in the import summary, never dropped or guessed.
///
/// ```swift
/// let regions = RegionResolution(level: 2)
/// regions.resolve(sample).region   // "Prov. Luik" → "BE33"
/// ```
public struct RegionResolution: Sendable {
    public var catalogue: RegionCatalogue
    /// NUTS level the reports stratify by (2, provinces, by default).
    public var level: Int

    public static let writtenAttribute = "region_as_written"

    public init(catalogue: RegionCatalogue = .bundled, level: Int = RegionCatalogue.defaultLevel) {
        self.catalogue = catalogue
        self.level = level
    }

    public func resolve(_ sample: Sample) -> Sample {
        guard let text = sample.region,
              let code = catalogue.code(for: text, level: level, country: Lab.country(ofCode: sample.labCode)) else { return sample }
        var resolved = sample
        resolved.region = code
        if text != code, resolved.attributes[Self.writtenAttribute] == nil { resolved.attributes[Self.writtenAttribute] = text }
        return resolved
    }

    /// The region text of a resolved sample that names no known region.
    public func unmatched(in sample: Sample) -> String? {
        guard let region = sample.region, catalogue.regions[region] == nil else { return nil }
        return region
    }
}
