import DrugCheckModel
import DrugCheckStore

/// "What is in things sold as X": for the week's samples with results, how many sold as each
/// product held each substance (drug-checking dashboards such as UW ADAI's show the same).
/// Only counts leave this type: no sample identifiers, as the ministry sees no raw results.
///
/// ```swift
/// let matrix = SoldAsMatrix(samples: try SampleQuery(week: week).fetch(in: db))
/// matrix.rows.first   // ("cocaine", 41, [("cocaine", 40), ("levamisole", 12), ("fentanyl", 1)])
/// ```
struct SoldAsMatrix: Sendable {
    struct Row: Sendable {
        var soldAs: String
        var samples: Int
        var found: [(substance: String, samples: Int)]
    }

    var rows: [Row]

    init(samples: [StoredSample], maxRows: Int = 12, maxSubstances: Int = 6) {
        var bySoldAs: [String: (samples: Int, found: [String: Int])] = [:]
        for stored in samples where !stored.sample.analyses.isEmpty {
            let s = stored.sample
            guard let soldAs = s.soldAsSubstanceID ?? s.soldAs?.lowercased(), !soldAs.isEmpty else { continue }
            var entry = bySoldAs[soldAs] ?? (0, [:])
            entry.samples += 1
            for substance in Set(s.analyses.flatMap(\.findings).filter(\.detected).map { $0.substanceID ?? $0.reportedName }) {
                entry.found[substance, default: 0] += 1
            }
            bySoldAs[soldAs] = entry
        }
        rows = bySoldAs.sorted { ($0.value.samples, $1.key) > ($1.value.samples, $0.key) }.prefix(maxRows).map { soldAs, entry in
            Row(soldAs: soldAs, samples: entry.samples,
                found: entry.found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(maxSubstances).map { ($0.key, $0.value) })
        }
    }
}
