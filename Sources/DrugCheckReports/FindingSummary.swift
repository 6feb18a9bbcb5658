import DrugCheckModel
import DrugCheckStore

/// The report week's detected substances per stratum and report class: concentrations,
/// potencies and first-seen substances, from the store's per-stratum aggregates.
///
/// Rows are folded by integer indexes (a stratum key and a substance each get one the first
/// time they appear), so a row costs two hash lookups however many strata it counts in.
struct FindingSummary {
    private struct Bucket {
        /// Indexes into `substanceIDs`.
        var substances: Set<Int> = []
        /// Each reported concentration with its unit (index into `units`) and number of findings.
        var concentrations: [(unit: Int, value: Double, findings: Int)] = []
    }

    private static let classCount = ReportClass.allCases.count
    private let catalogue: SubstanceCatalogue
    private let firstSeen: Set<String>
    private var keyIndexes: [StratumKey: Int] = [:]
    /// `classCount` buckets per stratum key, key after key.
    private var buckets: [Bucket] = []
    private var substanceIDs: [String] = []
    private var units: [String] = []
    private var samplesBySubstance: [String: Int] = [:]

    init(substances: [ReportAggregateReader.SubstanceRow], concentrations: [ReportAggregateReader.ConcentrationRow],
         catalogue: SubstanceCatalogue, firstSeen: Set<String>) {
        self.catalogue = catalogue
        self.firstSeen = firstSeen
        // Per substance id: its index and report classes; nil for ids the catalogue does not know.
        var substanceInfo: [String: (index: Int, classes: [Int])?] = [:]
        var strataBuckets: [ReportAggregateReader.Strata: [Int]] = [:]
        var unitIndexes: [String: Int] = [:]

        func info(_ id: String) -> (index: Int, classes: [Int])? {
            if let known = substanceInfo[id] { return known }
            var made: (index: Int, classes: [Int])?
            if let classes = Self.classIndexes(of: id, catalogue) {
                made = (substanceIDs.count, classes)
                substanceIDs.append(id)
            }
            substanceInfo[id] = made
            return made
        }
        /// The first bucket of each of the strata's five keys.
        func bases(_ strata: ReportAggregateReader.Strata) -> [Int] {
            if let known = strataBuckets[strata] { return known }
            let made = StratumKey.keys(sampleType: strata.sampleType, source: strata.source, region: strata.region, lab: strata.lab)
                .map { key in
                    if let index = keyIndexes[key] { return index * Self.classCount }
                    keyIndexes[key] = keyIndexes.count
                    buckets.append(contentsOf: Array(repeating: Bucket(), count: Self.classCount))
                    return (keyIndexes.count - 1) * Self.classCount
                }
            strataBuckets[strata] = made
            return made
        }

        for row in substances {
            guard let substance = info(row.substanceID) else { continue }
            samplesBySubstance[row.substanceID, default: 0] += row.samples
            guard !substance.classes.isEmpty else { continue }
            for base in bases(row.strata) {
                for k in substance.classes { buckets[base + k].substances.insert(substance.index) }
            }
        }
        for row in concentrations where row.concentration.isFinite {
            guard let substance = info(row.substanceID), !substance.classes.isEmpty else { continue }
            let unit: Int
            if let known = unitIndexes[row.unit] {
                unit = known
            } else {
                unit = units.count
                units.append(row.unit)
                unitIndexes[row.unit] = unit
            }
            for base in bases(row.strata) {
                for k in substance.classes { buckets[base + k].concentrations.append((unit, row.concentration, row.findings)) }
            }
        }
    }

    /// The report classes a catalogue substance counts in (its own, and any synthetic opioid);
    /// nil for a substance the catalogue does not know.
    private static func classIndexes(of id: String, _ catalogue: SubstanceCatalogue) -> [Int]? {
        guard let substance = catalogue[id] else { return nil }
        return ReportClass.classes(of: substance.substanceClass).map { ReportClass.allCases.firstIndex(of: $0)! }
    }

    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        guard let index = keyIndexes[key] else { return }
        let bucket = buckets[index * Self.classCount + k]
        var byUnit: [String: [Double: Int]] = [:]
        for c in bucket.concentrations { byUnit[units[c.unit], default: [:]][c.value, default: 0] += c.findings }
        // The unit most findings were reported in; ties go to the alphabetically first unit.
        let quantified = byUnit.mapValues { $0.values.reduce(0, +) }
        if let (unit, count) = quantified.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            cell.concentrationUnit = unit
            cell.medianConcentration = Median.of(counts: byUnit[unit]!)
            cell.quantified = count
        }
        let ids = bucket.substances.map { substanceIDs[$0] }
        cell.firstSeen = ids.filter(firstSeen.contains).sorted()
        cell.highestPotencySubstance = Potency.mostPotent(ids.compactMap { catalogue[$0] })?.id
    }

    var firstSeenSubstances: [WeeklyReport.FirstSeenSubstance] {
        samplesBySubstance.keys.filter(firstSeen.contains).sorted().compactMap { id in
            catalogue[id].map {
                .init(substanceID: id, name: $0.name, substanceClass: $0.substanceClass.rawValue,
                      samples: samplesBySubstance[id]!)
            }
        }
    }
}
