import DrugCheckModel
import DrugCheckStore

/// The report week's detected substances per stratum and report class: concentrations,
/// potencies and first-seen substances, from the store's per-stratum aggregates. Its two parts
/// are read and folded apart (at once, on two cores; see ``WeeklyReportBuilder``): on the 10 M
/// benchmark a week has ~10,700 substance and ~14,500 concentration rows.
///
/// ```swift
/// let summary = FindingSummary(detected: DetectedSubstances(substanceRows, catalogue: .bundled, firstSeen: []),
///                              quantified: QuantifiedFindings(concentrationRows, catalogue: .bundled))
/// summary.fill(&cell, key: .total, classIndex: 0)
/// ```
struct FindingSummary {
    let detected: DetectedSubstances
    let quantified: QuantifiedFindings

    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        quantified.fill(&cell, key: key, classIndex: k)
        detected.fill(&cell, key: key, classIndex: k)
    }

    var firstSeenSubstances: [WeeklyReport.FirstSeenSubstance] { detected.firstSeenSubstances }
}

/// The substances detected in each bucket (a bitset per bucket) and the samples each was found in.
struct DetectedSubstances: Sendable {
    private let firstSeen: Set<String>
    private var buckets = StratumBuckets()
    private var numbering: SubstanceNumbering
    private var samplesBySubstance: [String: Int] = [:]
    /// `words` 64-bit words per bucket, bucket after bucket.
    private var bits: [UInt64] = []
    private var words = 0

    init(_ rows: [ReportAggregateReader.SubstanceRow], catalogue: SubstanceCatalogue, firstSeen: Set<String>) {
        self.firstSeen = firstSeen
        numbering = SubstanceNumbering(catalogue: catalogue)
        var detected: [(bases: [Int], substance: Int, classes: [Int])] = []
        for row in rows {
            guard let substance = numbering.number(row.substanceID) else { continue }
            samplesBySubstance[row.substanceID, default: 0] += row.samples
            guard !substance.classes.isEmpty else { continue }
            detected.append((buckets.bases(row.strata), substance.index, substance.classes))
        }
        words = (numbering.substances.count + 63) / 64
        bits = Array(repeating: 0, count: buckets.count * words)
        for d in detected {
            let (word, bit) = d.substance.quotientAndRemainder(dividingBy: 64)
            for base in d.bases {
                for k in d.classes { bits[(base + k) * words + word] |= 1 << UInt64(bit) }
            }
        }
    }

    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        guard let bucket = buckets.bucket(key, classIndex: k) else { return }
        var found: [Substance] = []
        for word in 0..<words {
            var set = bits[bucket * words + word]
            while set != 0 {
                found.append(numbering.substances[word * 64 + set.trailingZeroBitCount])
                set &= set - 1
            }
        }
        cell.firstSeen = found.map(\.id).filter(firstSeen.contains).sorted()
        cell.highestPotencySubstance = Potency.mostPotent(found)?.id
    }

    var firstSeenSubstances: [WeeklyReport.FirstSeenSubstance] {
        samplesBySubstance.keys.filter(firstSeen.contains).sorted().compactMap { id in
            numbering.catalogue[id].map {
                .init(substanceID: id, name: $0.name, substanceClass: $0.substanceClass.rawValue, samples: samplesBySubstance[id]!)
            }
        }
    }
}

/// The quantified findings of each bucket, as indexes into one list sorted by unit and value,
/// so a cell's median is a walk along its bucket (no hashing, no sort per cell).
struct QuantifiedFindings: Sendable {
    private struct Concentration {
        var unit: Int
        var value: Double
        var findings: Int
    }

    private var buckets = StratumBuckets()
    private var units: [String] = []
    /// Sorted by unit, then value.
    private var concentrations: [Concentration] = []
    /// Per bucket: indexes into `concentrations`, ascending.
    private var inBucket: [[Int]] = []

    init(_ rows: [ReportAggregateReader.ConcentrationRow], catalogue: SubstanceCatalogue) {
        var numbering = SubstanceNumbering(catalogue: catalogue)
        var unitIndexes: [String: Int] = [:]
        var quantified: [(bases: [Int], classes: [Int], concentration: Concentration)] = []
        for row in rows where row.concentration.isFinite && row.findings > 0 {
            guard let substance = numbering.number(row.substanceID), !substance.classes.isEmpty else { continue }
            if unitIndexes[row.unit] == nil {
                unitIndexes[row.unit] = units.count
                units.append(row.unit)
            }
            quantified.append((buckets.bases(row.strata), substance.classes,
                               Concentration(unit: unitIndexes[row.unit]!, value: row.concentration, findings: row.findings)))
        }
        quantified.sort { ($0.concentration.unit, $0.concentration.value) < ($1.concentration.unit, $1.concentration.value) }
        concentrations = quantified.map(\.concentration)
        inBucket = Array(repeating: [], count: buckets.count)
        for (index, q) in quantified.enumerated() {
            for base in q.bases {
                for k in q.classes { inBucket[base + k].append(index) }
            }
        }
    }

    /// The median concentration in the unit most findings were reported in (ties go to the
    /// alphabetically first unit).
    func fill(_ cell: inout WeeklyReport.Cell, key: StratumKey, classIndex k: Int) {
        guard let bucket = buckets.bucket(key, classIndex: k) else { return }
        let entries = inBucket[bucket].map { concentrations[$0] }
        var best: (unit: Int, findings: Int, range: Range<Int>)?
        var start = 0
        while start < entries.count {
            let unit = entries[start].unit
            var end = start, findings = 0
            while end < entries.count, entries[end].unit == unit {
                findings += entries[end].findings
                end += 1
            }
            if best == nil || findings > best!.findings || (findings == best!.findings && units[unit] < units[best!.unit]) {
                best = (unit, findings, start..<end)
            }
            start = end
        }
        guard let best else { return }
        cell.concentrationUnit = units[best.unit]
        cell.medianConcentration = Median.of(sortedCounts: entries[best.range].lazy.map { ($0.value, $0.findings) })
        cell.quantified = best.findings
    }
}
