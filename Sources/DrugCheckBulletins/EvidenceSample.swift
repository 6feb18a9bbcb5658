import DrugCheckModel
import DrugCheckStore
import Foundation

/// A stored sample as the triggers see it: its database id, the date that places it in time,
/// its classification and the catalogue substances it was found to contain.
struct EvidenceSample: Sendable {
    var id: Int64
    var sample: Sample
    var classification: SampleClassification
    var date: CalendarDate
    var week: ISOWeek
    /// Detected active catalogue substances, most potent first (ties by id).
    var substances: [Substance]

    /// Every classified sample dated `since` or later, in id order.
    static func load(from reader: any StoredRowReader, catalogue: SubstanceCatalogue, since: CalendarDate) throws -> [EvidenceSample] {
        try SampleQuery(fromWeek: since.isoWeek).fetchWithIDs(from: reader).compactMap { id, stored in
            guard let classification = stored.classification,
                  let date = stored.sample.referenceDate ?? stored.week?.monday, date >= since else { return nil }
            let ids = Set(stored.sample.findings.filter(\.detected).compactMap(\.substanceID))
            let substances = ids.compactMap { catalogue[$0] }.filter { $0.role == .active }.sorted(by: Potency.morePotent)
            return EvidenceSample(id: id, sample: stored.sample, classification: classification, date: date,
                                  week: stored.week ?? date.isoWeek, substances: substances)
        }
    }

    /// The product as a comparable key (brand, flavour, colour, logo, or the free description),
    /// lowercased with spacing collapsed; `nil` when the lab described nothing.
    var productKey: String? {
        let d = sample.description
        let parts = [d.brand, d.flavour, d.colour, d.logo].compactMap { $0 }
        let text = parts.isEmpty ? d.text : parts.joined(separator: "; ")
        guard let text else { return nil }
        let key = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return key.isEmpty ? nil : key
    }

    /// The product as the lab wrote it, for bulletin texts.
    var productLabel: String? {
        let d = sample.description
        let parts = [d.brand, d.flavour, d.colour, d.logo].compactMap { $0 }
        return parts.isEmpty ? d.text : parts.joined(separator: "; ")
    }

    /// The most confident identification among this sample's detected findings of `substanceIDs`.
    func confidence(for substanceIDs: Set<String>) -> ConfidenceSummary {
        let relevant = sample.findings.filter { $0.detected && ($0.substanceID.map(substanceIDs.contains) ?? false) }
        let levels = relevant.compactMap { $0.confidence?.level }
        var categories = relevant.compactMap { $0.confidence?.swgdrugCategory }
        if categories.isEmpty {
            categories = sample.analyses.filter { a in a.findings.contains { f in relevant.contains(f) } }.map(\.technique.swgdrugCategory)
        }
        return ConfidenceSummary(level: levels.min(), swgdrugCategory: categories.min())
    }
}

/// Groups dated samples into episodes: consecutive samples no more than `gapDays` apart.
enum Episodes {
    static func split(_ samples: [EvidenceSample], gapDays: Int) -> [[EvidenceSample]] {
        let sorted = samples.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        var episodes: [[EvidenceSample]] = []
        for s in sorted {
            if let last = episodes.last?.last, s.date.daysSinceEpoch - last.date.daysSinceEpoch <= gapDays {
                episodes[episodes.count - 1].append(s)
            } else {
                episodes.append([s])
            }
        }
        return episodes
    }

    /// Whether some window of `days` consecutive days holds at least `minimum` of the (date-sorted) samples.
    static func hasWindow(_ sorted: [EvidenceSample], days: Int, minimum: Int) -> Bool {
        guard minimum > 0, sorted.count >= minimum else { return false }
        for start in 0...(sorted.count - minimum)
        where sorted[start + minimum - 1].date.daysSinceEpoch - sorted[start].date.daysSinceEpoch < days {
            return true
        }
        return false
    }
}
