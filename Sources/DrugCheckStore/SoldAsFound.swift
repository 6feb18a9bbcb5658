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

extension StoredRowQueries {
    /// The week's sold-as rows, most samples first (ties by label), at most `limit` of them with at
    /// most `substances` substances each; `nil` keeps all. Read from the week's rollups
    /// (`report_week_sold_as`, `report_week_sold_as_found`; ``WeekRollups``), a few hundred rows.
    public func soldAsFound(week: ISOWeek, region: String? = nil, limit: Int? = 12, substances: Int? = 6) throws -> [SoldAsFoundRow] {
        var byLabel: [String: (samples: Int, found: [String: Int])] = [:]
        // Labels that are not catalogue ids are compared in lower case (by Swift, not SQLite's ASCII-only lower()).
        func name(byID: Bool, _ label: String) -> String { byID ? label : label.lowercased() }
        let arguments: [StoredValue] = [.text(week.description)] + (region.map { [.text($0)] } ?? [])
        for row in try fetchRows(SoldAsFoundRow.soldAsSQL(region: region), arguments) {
            byLabel[name(byID: row["by_id"], row["label"]), default: (0, [:])].samples += row["samples"] as Int
        }
        for row in try fetchRows(SoldAsFoundRow.soldAsFoundSQL(region: region), arguments) {
            byLabel[name(byID: row["by_id"], row["label"]), default: (0, [:])].found[row["substance"], default: 0] += row["samples"] as Int
        }
        let ordered = byLabel.sorted { ($0.value.samples, $1.key) > ($1.value.samples, $0.key) }
        return ordered.prefix(limit ?? ordered.count).map { label, entry in
            let ranked = entry.found.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            return SoldAsFoundRow(soldAs: label, samples: entry.samples,
                                  found: ranked.prefix(substances ?? ranked.count).map { .init(substance: $0.key, samples: $0.value) })
        }
    }
}

extension SoldAsFoundRow {
    static func soldAsSQL(region: String?) -> String {
        "SELECT by_id, label, samples FROM report_week_sold_as WHERE iso_week = ?" + (region == nil ? "" : " AND region = ?")
    }
    static func soldAsFoundSQL(region: String?) -> String {
        "SELECT by_id, label, substance, samples FROM report_week_sold_as_found WHERE iso_week = ?" + (region == nil ? "" : " AND region = ?")
    }
}

extension DrugCheckDatabase {
    /// `EXPLAIN QUERY PLAN` of ``soldAsFound(week:region:limit:substances:)``, for the benchmark.
    public func soldAsFoundPlan(region: String? = nil) throws -> [String] {
        try pool.read { db in
            try [SoldAsFoundRow.soldAsSQL(region: region), SoldAsFoundRow.soldAsFoundSQL(region: region)].flatMap { sql in
                let arguments: StatementArguments = region.map { ["2026-W47", $0] } ?? ["2026-W47"]
                return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
            }
        }
    }
}
