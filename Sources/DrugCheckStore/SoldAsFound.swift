import DrugCheckModel
import Foundation
import GRDB

/// "What is in things sold as X" for one week: per sold-as label (the catalogue id the sample was
/// sold as, else its `sold_as` text in lower case), the samples with results, and per substance
/// detected in them (catalogue id, else the reported name) the number of those samples. Counts
/// only: no sample identifiers leave the store (the ministry sees no raw results; drug-checking
/// dashboards such as UW ADAI's show the same table). The samples and results are those a stored sample
/// shows (``SampleReader``): each run's counted version and rejected results not superseded.
///
/// ```swift
/// let rows = try db.soldAsFound(week: ISOWeek("2026-W47")!, region: nil)
/// rows.first   // soldAs "cocaine", samples 41, found [("cocaine", 40), ("levamisole", 12), …]
/// ```
public struct SoldAsFoundRow: Sendable, Equatable {
    public struct Substance: Sendable, Equatable {
        public var substance: String
        public var samples: Int

        public init(substance: String, samples: Int) {
            self.substance = substance
            self.samples = samples
        }
    }

    public var soldAs: String
    public var samples: Int
    /// Most frequent first (ties by name).
    public var found: [Substance]

    public init(soldAs: String, samples: Int, found: [Substance]) {
        self.soldAs = soldAs
        self.samples = samples
        self.found = found
    }
}

extension DrugCheckDatabase {
    /// The week's sold-as rows, most samples first (ties by label), at most `limit` of them with at
    /// most `substances` substances each; `nil` keeps all. One pass over the week's samples (index
    /// `sample_week`, by week and region), their shown analyses (`analysis_sample`) and those analyses' detected
    /// findings (`finding_analysis`, or `parked_finding_analysis` for a version that does not
    /// count), counted here: no sample is decoded.
    public func soldAsFound(week: ISOWeek, region: String? = nil, limit: Int? = 12, substances: Int? = 6) throws -> [SoldAsFoundRow] {
        struct Label: Hashable {
            var byID: Bool
            var raw: String
        }
        struct Counted: Hashable {
            var sample: Int64
            var substance: String?
        }
        var seen = Set<Counted>()
        var samples: [Label: Int] = [:]
        var found: [Label: [String: Int]] = [:]
        try pool.read { db in
            let arguments = StatementArguments([week.description] + (region.map { [$0] } ?? []))
            let rows = try Row.fetchCursor(db, sql: Self.soldAsFoundSQL(region: region), arguments: arguments)
            while let row = try rows.next() {
                let label = Label(byID: row[1], raw: row[2])
                let substance: String? = row[3]
                // A sample counts once for its label, and once per substance however many findings name it.
                if seen.insert(Counted(sample: row[0], substance: nil)).inserted { samples[label, default: 0] += 1 }
                if let substance, seen.insert(Counted(sample: row[0], substance: substance)).inserted {
                    found[label, default: [:]][substance, default: 0] += 1
                }
            }
        }
        // Labels that are not catalogue ids are compared in lower case (by Swift, not SQLite's ASCII-only lower()).
        var byLabel: [String: (samples: Int, found: [String: Int])] = [:]
        for (label, count) in samples {
            let name = label.byID ? label.raw : label.raw.lowercased()
            byLabel[name, default: (0, [:])].samples += count
            byLabel[name]!.found.merge(found[label] ?? [:], uniquingKeysWith: +)
        }
        let ordered = byLabel.sorted { ($0.value.samples, $1.key) > ($1.value.samples, $0.key) }
        return ordered.prefix(limit ?? ordered.count).map { label, entry in
            let ranked = entry.found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            return SoldAsFoundRow(soldAs: label, samples: entry.samples,
                                  found: ranked.prefix(substances ?? ranked.count).map { .init(substance: $0.key, samples: $0.value) })
        }
    }

    /// Rows (sample id, by_id, label, substance or NULL): one per detected finding of a shown
    /// analysis of a labelled sample of the week, and one (substance NULL) per shown analysis
    /// without detected findings. Shown: each run's counted version and rejected results not
    /// superseded; a counted version's findings are in `finding`, the others' in `parked_finding`.
    ///
    /// `CROSS JOIN` keeps SQLite's join order (week's samples → their analyses → findings): left
    /// free, it scanned every detected finding through `finding_substance` (4.6 s instead of
    /// 0.2 s on a week of the 10-million-finding load; BENCHMARKS.md, "Web pages"). One pass
    /// instead of a query per part (samples, findings, parked findings) and SQL grouping: ~2.5×
    /// faster on the same load.
    static func soldAsFoundSQL(region: String?) -> String {
        """
        SELECT s.id, s.sold_as_substance_id IS NOT NULL, COALESCE(s.sold_as_substance_id, s.sold_as),
               COALESCE(f.substance_id, f.reported_name, p.substance_id, p.reported_name)
        FROM sample s
        CROSS JOIN analysis a ON a.sample_id = s.id AND (a.counted OR (a.status = 'rejected' AND a.superseded_by IS NULL))
        LEFT JOIN finding f ON a.counted AND f.analysis_id = a.id AND f.detected
        LEFT JOIN parked_finding p ON NOT a.counted AND p.analysis_id = a.id AND p.detected
        WHERE s.iso_week = ?\(region == nil ? "" : " AND s.region = ?") AND COALESCE(s.sold_as_substance_id, s.sold_as) <> ''
        """
    }

    /// `EXPLAIN QUERY PLAN` of ``soldAsFound(week:region:limit:substances:)``, for the benchmark.
    public func soldAsFoundPlan(region: String? = nil) throws -> [String] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Self.soldAsFoundSQL(region: region),
                             arguments: StatementArguments(["2026-W47"] + (region.map { [$0] } ?? []))).map { $0["detail"] as String }
        }
    }
}
