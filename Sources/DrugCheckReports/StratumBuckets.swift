import DrugCheckModel
import DrugCheckStore

/// Numbers the report's buckets as aggregate rows arrive: each row's strata count in five
/// stratum keys (total, sample type, source, region, lab) and each key has one bucket per report
/// class, so a row reaches its buckets by integer index, never by hashing a key per bucket.
struct StratumBuckets {
    static let classCount = ReportClass.allCases.count
    private var keyIndexes: [StratumKey: Int] = [:]
    private var strataBases: [ReportAggregateReader.Strata: [Int]] = [:]
    private var last: (strata: ReportAggregateReader.Strata, bases: [Int])?

    /// Buckets numbered so far.
    var count: Int { keyIndexes.count * Self.classCount }

    /// The first bucket of each of the strata's five keys (add a class index for its bucket).
    mutating func bases(_ strata: ReportAggregateReader.Strata) -> [Int] {
        // Rows come grouped by strata (the tables' key order), so the last answer is usually it.
        if let last, last.strata == strata { return last.bases }
        let made = strataBases[strata] ?? StratumKey.keys(sampleType: strata.sampleType, source: strata.source,
                                                           region: strata.region, lab: strata.lab).map { key in
            if let index = keyIndexes[key] { return index * Self.classCount }
            keyIndexes[key] = keyIndexes.count
            return (keyIndexes.count - 1) * Self.classCount
        }
        strataBases[strata] = made
        last = (strata, made)
        return made
    }

    /// The bucket of `key` and class index `k`; nil when no row counted in the key.
    func bucket(_ key: StratumKey, classIndex k: Int) -> Int? {
        keyIndexes[key].map { $0 * Self.classCount + k }
    }
}

/// The catalogue substances the rows name, numbered as they first appear.
struct SubstanceNumbering {
    let catalogue: SubstanceCatalogue
    private var known: [String: (index: Int, classes: [Int])?] = [:]
    private(set) var substances: [Substance] = []

    init(catalogue: SubstanceCatalogue) {
        self.catalogue = catalogue
    }

    /// The substance's number and the indexes of the report classes it counts in (its own, and
    /// any synthetic opioid); nil for an id the catalogue does not know.
    mutating func number(_ id: String) -> (index: Int, classes: [Int])? {
        if let made = known[id] { return made }
        var made: (index: Int, classes: [Int])?
        if let substance = catalogue[id] {
            made = (substances.count, ReportClass.classes(of: substance.substanceClass).map { ReportClass.allCases.firstIndex(of: $0)! })
            substances.append(substance)
        }
        known[id] = made
        return made
    }
}
