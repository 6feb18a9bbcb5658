import DrugCheckModel
import Foundation

extension SampleRecord {
    /// Later files complete what earlier files left empty; they never erase a value.
    mutating func fillGaps(from s: Sample) {
        soldAs = soldAs ?? s.soldAs
        soldAsSubstanceId = soldAsSubstanceId ?? s.soldAsSubstanceID
        brand = brand ?? s.description.brand
        flavour = flavour ?? s.description.flavour
        colour = colour ?? s.description.colour
        logo = logo ?? s.description.logo
        description = description ?? s.description.text
        collectedOn = collectedOn ?? s.collectedOn?.description
        region = region ?? s.region
        seizureContext = seizureContext ?? s.seizureContext
        var merged = JSONColumn.decode([String: String].self, attributes) ?? [:]
        merged.merge(s.attributes) { old, _ in old }
        attributes = JSONColumn.encode(merged)
    }
}
