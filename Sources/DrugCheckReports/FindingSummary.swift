/// The report week's detected substances per stratum and report class: concentrations,
/// potencies and first-seen substances.
struct FindingSummary {
    private struct Bucket {
        var concentrations: [String: [Double]] = [:]
        var substances: Set<String> = []
    }

    private var buckets: [StratumKey: [Bucket]] = [:]
    private let catalogue: SubstanceCatalogue
    private let firstSeen: Set<String>
    private var samplesBySubstance: [String: Set<Int64>] = [:]

    init(_ rows: [ReportStoreReader.FindingRow], catalogue: SubstanceCatalogue, firstSeen: Set<String>) {
        self.catalogue = catalogue
        self.firstSeen = firstSeen
        let classes = ReportClass.allCases
        for row in rows {
            guard let substance = catalogue[row.substanceID] else { continue }
            samplesBySubstance[row.substanceID, default: []].insert(row.sampleID)
            var classIndexes: [Int] = []
            if let reportClass = ReportClass(substance.substanceClass) { classIndexes.append(classes.firstIndex(of: reportClass)!) }
            if substance.substanceClass.isSyntheticOpioid { classIndexes.append(classes.firstIndex(of: .anySyntheticOpioid)!) }
            for key in StratumKey.keys(sampleType: row.sampleType, source: row.source, region: row.region, lab: row.lab) {
                for k in classIndexes {
                    buckets[key, default: Array(repeating: Bucket(), count: classes.count)][k].substances.insert(row.substanceID)
                    if let value = row.concentration, value.isFinite, let unit = row.unit {
                        buckets[key]![k].concentrations[unit, default: []].append(value)
                    }
                }
            }
        }
    }

    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        guard let bucket = buckets[key]?[k] else { return }
        // The unit most findings were reported in; ties go to the alphabetically first unit.
        if let (unit, values) = bucket.concentrations.max(by: { ($0.value.count, $1.key) < ($1.value.count, $0.key) }) {
            cell.concentrationUnit = unit
            cell.medianConcentration = Median.of(values)
            cell.quantified = values.count
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
                      samples: samplesBySubstance[id]!.count)
            }
        }
    }
}
