/// The report week's detected substances per stratum and report class: concentrations,
/// potencies and first-seen substances, from the store's per-stratum aggregates.
struct FindingSummary {
    private struct Bucket {
        /// Per unit, each reported concentration value with its number of findings.
        var concentrations: [String: [Double: Int]] = [:]
        var substances: Set<String> = []
    }

    private var buckets: [StratumKey: [Bucket]] = [:]
    private let catalogue: SubstanceCatalogue
    private let firstSeen: Set<String>
    private var samplesBySubstance: [String: Int] = [:]

    init(substances: [ReportStoreReader.SubstanceRow], concentrations: [ReportStoreReader.ConcentrationRow],
         catalogue: SubstanceCatalogue, firstSeen: Set<String>) {
        self.catalogue = catalogue
        self.firstSeen = firstSeen
        let empty = Array(repeating: Bucket(), count: ReportClass.allCases.count)
        var classIndexes: [String: [Int]] = [:]
        var keys: [ReportStoreReader.Strata: [StratumKey]] = [:]
        func strataKeys(_ strata: ReportStoreReader.Strata) -> [StratumKey] {
            if let cached = keys[strata] { return cached }
            let made = StratumKey.keys(sampleType: strata.sampleType, source: strata.source, region: strata.region, lab: strata.lab)
            keys[strata] = made
            return made
        }
        for row in substances {
            guard let indexes = Self.classIndexes(of: row.substanceID, catalogue, cache: &classIndexes) else { continue }
            samplesBySubstance[row.substanceID, default: 0] += row.samples
            for key in strataKeys(row.strata) {
                for k in indexes { buckets[key, default: empty][k].substances.insert(row.substanceID) }
            }
        }
        for row in concentrations where row.concentration.isFinite {
            guard let indexes = Self.classIndexes(of: row.substanceID, catalogue, cache: &classIndexes) else { continue }
            for key in strataKeys(row.strata) {
                for k in indexes {
                    buckets[key, default: empty][k].concentrations[row.unit, default: [:]][row.concentration, default: 0] += row.findings
                }
            }
        }
    }

    /// The report classes a catalogue substance counts in (its own, and any synthetic opioid);
    /// nil for a substance the catalogue does not know.
    private static func classIndexes(of id: String, _ catalogue: SubstanceCatalogue, cache: inout [String: [Int]]) -> [Int]? {
        if let cached = cache[id] { return cached }
        guard let substance = catalogue[id] else { return nil }
        let classes = ReportClass.allCases
        var indexes: [Int] = []
        if let reportClass = ReportClass(substance.substanceClass) { indexes.append(classes.firstIndex(of: reportClass)!) }
        if substance.substanceClass.isSyntheticOpioid { indexes.append(classes.firstIndex(of: .anySyntheticOpioid)!) }
        cache[id] = indexes
        return indexes
    }

    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        guard let bucket = buckets[key]?[k] else { return }
        // The unit most findings were reported in; ties go to the alphabetically first unit.
        let quantified = bucket.concentrations.mapValues { $0.values.reduce(0, +) }
        if let (unit, count) = quantified.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            cell.concentrationUnit = unit
            cell.medianConcentration = Median.of(counts: bucket.concentrations[unit]!)
            cell.quantified = count
        }
        cell.firstSeen = bucket.substances.filter(firstSeen.contains).sorted()
        cell.highestPotencySubstance = bucket.substances
            .compactMap { id in catalogue[id]?.relativePotency.map { (id, $0) } }
            .max { ($0.1, $1.0) < ($1.1, $0.0) }?.0
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
