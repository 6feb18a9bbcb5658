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
    /// most `substances` substances each; `nil` keeps all. One aggregate query over the week's
    /// samples (index `sample_week`), their analyses (`analysis_sample`) and findings
    /// (`finding_analysis`, `parked_finding_analysis`): no sample is decoded.
    public func soldAsFound(week: ISOWeek, region: String? = nil, limit: Int? = 12, substances: Int? = 6) throws -> [SoldAsFoundRow] {
        var samples: [String: Int] = [:]
        var found: [String: [String: Int]] = [:]
        try pool.read { db in
            let arguments = StatementArguments([week.description] + (region.map { [$0] } ?? []))
            let rows = try Row.fetchCursor(db, sql: Self.soldAsFoundSQL(region: region), arguments: arguments)
            while let row = try rows.next() {
                let byID: Bool = row[0]
                let raw: String = row[1]
                // Lower-cased here by Swift, not by SQLite's ASCII-only lower().
                let label = byID ? raw : raw.lowercased()
                let count: Int = row[3]
                if let substance: String = row[2] {
                    found[label, default: [:]][substance, default: 0] += count
                } else {
                    samples[label, default: 0] += count
                }
            }
        }
        let ordered = samples.filter { !$0.key.isEmpty }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        return ordered.prefix(limit ?? ordered.count).map { label, count in
            let ranked = (found[label] ?? [:]).sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            return SoldAsFoundRow(soldAs: label, samples: count,
                                  found: ranked.prefix(substances ?? ranked.count).map { .init(substance: $0.key, samples: $0.value) })
        }
    }

    /// Rows (by_id, label, substance or NULL, samples): per label the samples with results
    /// (substance NULL), and per label and detected substance the samples it was found in. A
    /// sample's label is grouped raw (`by_id` says whether it is a catalogue id) and lower-cased by
    /// the caller; a sample counts once per substance however many findings name it.
    ///
    /// `CROSS JOIN` keeps SQLite's join order (week's samples → their analyses → findings): left
    /// free, it scanned every detected finding through `finding_substance` (4.6 s instead of
    /// 0.2 s on a week of the 10-million-finding load; BENCHMARKS.md, "Web pages"). Covering
    /// indexes on `finding` and `analysis` gained nothing measurable, so none is added.
    static func soldAsFoundSQL(region: String?) -> String {
        let shown = "(a.counted OR (a.status = 'rejected' AND a.superseded_by IS NULL))"
        return """
            WITH week_sample AS (
                SELECT s.id, s.sold_as_substance_id IS NOT NULL AS by_id, COALESCE(s.sold_as_substance_id, s.sold_as) AS label
                FROM sample s
                WHERE s.iso_week = ?\(region == nil ? "" : " AND s.region = ?") AND COALESCE(s.sold_as_substance_id, s.sold_as) <> ''
                  AND EXISTS (SELECT 1 FROM analysis a WHERE a.sample_id = s.id AND \(shown))
            ), sample_substance AS (
                SELECT w.by_id, w.label, w.id, COALESCE(f.substance_id, f.reported_name) AS substance
                FROM week_sample w CROSS JOIN analysis a ON a.sample_id = w.id AND \(shown) CROSS JOIN finding f ON f.analysis_id = a.id
                WHERE f.detected
                UNION
                SELECT w.by_id, w.label, w.id, COALESCE(f.substance_id, f.reported_name)
                FROM week_sample w CROSS JOIN analysis a ON a.sample_id = w.id AND \(shown) CROSS JOIN parked_finding f ON f.analysis_id = a.id
                WHERE f.detected
            )
            SELECT by_id, label, NULL, COUNT(*) FROM week_sample GROUP BY by_id, label
            UNION ALL
            SELECT by_id, label, substance, COUNT(*) FROM sample_substance GROUP BY by_id, label, substance
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
