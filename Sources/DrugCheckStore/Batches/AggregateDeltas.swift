import DrugCheckModel
import Foundation
import GRDB

/// What the new samples of an import batch add to the report aggregates and the sold-as rollups
/// (``WeekRollups``), counted as each one is
/// written and added to the stored rows (an upsert per key) whenever enough keys are held, and at
/// the end. It counts exactly what ``BatchAggregates/rebuild(weeks:postgres:)`` counts for a
/// sample, so a week holding only new samples and samples of earlier batches ends up as a rebuild
/// would leave it; weeks where the batch changed a stored sample are rebuilt instead.
///
/// Rebuilding every week a batch touched was 40 % of a 1M-row import (its joins and `GROUP BY`
/// sorts re-read every finding the batch had just written; BENCHMARKS.md, "Import").
///
/// ```swift
/// var deltas = AggregateDeltas()
/// deltas.add(sample, classified: classification, provisional: sample.isProvisional)
/// if deltas.isFull { try deltas.flush(db) }
/// ```
struct AggregateDeltas {
    /// The strata every aggregate is kept by: ISO week, sample type, source, region ('' when
    /// unknown) and lab.
    struct Stratum: Hashable {
        var week: String, type: String, source: String, region: String, lab: String
    }
    struct SubstanceKey: Hashable { var stratum: Stratum; var substance: String }
    struct ConcentrationKey: Hashable { var substance: SubstanceKey; var unit: String; var value: Double }
    struct SubstanceWeek: Hashable { var substance: String; var region: String; var week: String }
    /// A key of `report_week_sold_as` (``WeekRollups``): the label is the catalogue id when the
    /// sold-as text matched one (`byID`), else the text.
    struct SoldAs: Hashable { var week: String; var region: String; var byID: Bool; var label: String }
    struct SoldAsFound: Hashable { var soldAs: SoldAs; var substance: String }

    /// Keys held before ``isFull``: about 200 bytes each.
    private let limit: Int
    private var strata: [Stratum: [Int64]] = [:]
    private var provisional: [Stratum: [Int64]] = [:]
    private var substanceWeeks: [SubstanceWeek: Int64] = [:]
    private var substances: [SubstanceKey: Int64] = [:]
    private var concentrations: [ConcentrationKey: Int64] = [:]
    private var soldAs: [SoldAs: Int64] = [:]
    private var soldAsFound: [SoldAsFound: Int64] = [:]

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    var isFull: Bool { substanceWeeks.count + substances.count + concentrations.count + soldAsFound.count >= limit }

    /// Counts a sample new to the database, stored with `classification` (nil: none stored).
    mutating func add(_ sample: Sample, classified classification: SampleClassification?, provisional isProvisional: Bool) {
        guard let placement = sample.weekPlacement else { return }
        let week = placement.week.description
        let stratum = Stratum(week: week, type: sample.type.rawValue, source: sample.source.rawValue,
                              region: sample.region ?? "", lab: sample.labCode)
        if let c = classification {
            let classes = ReportClass.allCases
            let counts: [Int64] = [1, placement.basis == .analysed ? 1 : 0] + classes.map { c.isPositive(for: $0) ? 1 : 0 }
                + classes.map { c.unexpected && c.isPositive(for: $0) ? 1 : 0 }
            Self.add(counts, to: &strata[stratum, default: Array(repeating: 0, count: counts.count)])
            if isProvisional { Self.add(counts, to: &provisional[stratum, default: Array(repeating: 0, count: counts.count)]) }
        }
        addSoldAs(sample, week: week)
        // The substance tables count verified samples only (`report-week-substances-verified`).
        let verified = classification != nil && !isProvisional
        var seen: Set<String> = []
        for analysis in sample.analyses {
            for finding in analysis.findings where finding.detected {
                guard let substance = finding.substanceID else { continue }
                substanceWeeks[SubstanceWeek(substance: substance, region: "", week: week), default: 0] += 1
                if let region = sample.region { substanceWeeks[SubstanceWeek(substance: substance, region: region, week: week), default: 0] += 1 }
                guard verified else { continue }
                let key = SubstanceKey(stratum: stratum, substance: substance)
                if seen.insert(substance).inserted { substances[key, default: 0] += 1 }
                // SQLite stores NaN as NULL, which the aggregates do not count.
                if let c = finding.concentration, !c.value.isNaN {
                    concentrations[ConcentrationKey(substance: key, unit: c.unit.rawValue, value: c.value), default: 0] += 1
                }
            }
        }
    }

    /// The sample in "what is in things sold as X": once per label, once per substance found
    /// (``WeekRollups/soldAsRows(weeks:join:distinct:)`` for a sample whose analyses all count).
    private mutating func addSoldAs(_ sample: Sample, week: String) {
        guard let label = sample.soldAsSubstanceID ?? sample.soldAs, !label.isEmpty, !sample.analyses.isEmpty else { return }
        let key = SoldAs(week: week, region: sample.region ?? "", byID: sample.soldAsSubstanceID != nil, label: label)
        soldAs[key, default: 0] += 1
        var found: Set<String> = []
        for analysis in sample.analyses {
            for finding in analysis.findings where finding.detected { found.insert(finding.substanceID ?? finding.reportedName) }
        }
        for substance in found where !substance.isEmpty { soldAsFound[SoldAsFound(soldAs: key, substance: substance), default: 0] += 1 }
    }

    private static func add(_ counts: [Int64], to total: inout [Int64]) {
        for i in counts.indices { total[i] += counts[i] }
    }

    /// Adds every held count to the stored aggregate rows and forgets them.
    mutating func flush(_ db: Database) throws {
        let strataColumns = ReportAggregateSQL.strata
        for (table, rows) in [("report_week_stratum", strata), ("report_week_provisional", provisional)] where !rows.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert(table, key: strataColumns, counts: ReportAggregateSQL.countColumns))
            for (s, counts) in rows {
                try insert.run { b in
                    Self.bind(s, &b)
                    for n in counts { b.integer(n) }
                }
            }
        }
        if !substanceWeeks.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_substance_week", key: "substance_id, region, iso_week", counts: ["findings"]))
            for (k, n) in substanceWeeks { try insert.run { b in b.text(k.substance); b.text(k.region); b.text(k.week); b.integer(n) } }
        }
        if !substances.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_substance", key: ReportWeekSubstanceSQL.substanceKey, counts: ["samples"]))
            for (k, n) in substances.sorted(by: { $0.key.stratum.week < $1.key.stratum.week }) { try insert.run { b in Self.bind(k.stratum, &b); b.text(k.substance); b.integer(n) } }
        }
        if !concentrations.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_concentration", key: ReportWeekSubstanceSQL.concentrationKey, counts: ["findings"]))
            for (k, n) in concentrations.sorted(by: { $0.key.substance.stratum.week < $1.key.substance.stratum.week }) {
                try insert.run { b in Self.bind(k.substance.stratum, &b); b.text(k.substance.substance); b.text(k.unit); b.double(k.value); b.integer(n) }
            }
        }
        if !soldAs.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_sold_as", key: "iso_week, region, by_id, label", counts: ["samples"]))
            for (k, n) in soldAs { try insert.run { b in Self.bind(k, &b); b.integer(n) } }
        }
        if !soldAsFound.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_sold_as_found", key: "iso_week, region, by_id, label, substance", counts: ["samples"]))
            for (k, n) in soldAsFound.sorted(by: { $0.key.soldAs.week < $1.key.soldAs.week }) {
                try insert.run { b in Self.bind(k.soldAs, &b); b.text(k.substance); b.integer(n) }
            }
        }
        strata = [:]; provisional = [:]; substanceWeeks = [:]; substances = [:]; concentrations = [:]; soldAs = [:]; soldAsFound = [:]
    }

    /// The stratum's columns in the order of ``ReportAggregateSQL/strata``.
    private static func bind(_ s: Stratum, _ b: inout FastInsert.Binder) {
        b.text(s.week); b.text(s.type); b.text(s.source); b.text(s.region); b.text(s.lab)
    }

    private static func bind(_ s: SoldAs, _ b: inout FastInsert.Binder) {
        b.text(s.week); b.text(s.region); b.bool(s.byID); b.text(s.label)
    }

    private static func upsert(_ table: String, key: String, counts: [String]) -> String {
        let columns = key.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } + counts
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (\(key)) DO UPDATE SET \(counts.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", "))
            """
    }
}
