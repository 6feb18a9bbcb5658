import DrugCheckModel
import Foundation
import GRDB

/// What the new samples of an import batch add to the report aggregates and the sold-as rollups
/// (``WeekRollups``): counted as each sample is written, and added to the stored rows (an upsert
/// per key) whenever enough keys are held, and at the end. It counts exactly what
/// ``BatchAggregates/rebuild(weeks:postgres:)`` counts for a sample, so a week holding only new
/// samples and samples of earlier batches ends up as a rebuild would leave it; weeks where the
/// batch changed a stored sample are rebuilt instead.
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
    /// A name's number in ``names``: keys hash and sort as integers, not strings.
    typealias Name = Int32
    /// The strata every aggregate is kept by: ISO week, sample type, source, region ('' when
    /// unknown) and lab.
    struct Stratum: Hashable { var week, type, source, region, lab: Name }
    struct SubstanceKey: Hashable { var stratum: Stratum; var substance: Name }
    struct ConcentrationKey: Hashable { var substance: SubstanceKey; var unit: Name; var value: Double }
    struct SubstanceWeek: Hashable { var substance, region, week: Name }
    /// A key of `report_week_sold_as` (``WeekRollups``): the label is the catalogue id when the
    /// sold-as text matched one (`byID`), else the text.
    struct SoldAs: Hashable { var week, region: Name; var byID: Bool; var label: Name }
    struct SoldAsFound: Hashable { var soldAs: SoldAs; var substance: Name }

    /// Keys held before ``isFull``: about 100 bytes each.
    private let limit: Int
    private var names = NameTable()
    private var strata: [Stratum: [Int64]] = [:]
    private var provisional: [Stratum: [Int64]] = [:]
    private var substanceWeeks: [SubstanceWeek: Int64] = [:]
    private var substances: [SubstanceKey: Int64] = [:]
    private var concentrations: [ConcentrationKey: Int64] = [:]
    private var soldAs: [SoldAs: Int64] = [:]
    private var soldAsFound: [SoldAsFound: Int64] = [:]

    init(limit: Int = 300_000) {
        self.limit = limit
    }

    /// Every kind of key counts: free-text labels or regions must not grow memory with the file.
    var isFull: Bool {
        strata.count + provisional.count + substanceWeeks.count + substances.count + concentrations.count
            + soldAs.count + soldAsFound.count >= limit
    }

    /// Counts a sample new to the database, stored with `classification` (nil: none stored).
    mutating func add(_ sample: Sample, classified classification: SampleClassification?, provisional isProvisional: Bool) {
        guard let placement = sample.weekPlacement else { return }
        let week = names.id(placement.week.description), region = names.id(sample.region ?? "")
        let stratum = Stratum(week: week, type: names.id(sample.type.rawValue), source: names.id(sample.source.rawValue),
                              region: region, lab: names.id(sample.labCode))
        if let c = classification {
            let classes = ReportClass.allCases
            let counts: [Int64] = [1, placement.basis == .analysed ? 1 : 0] + classes.map { c.isPositive(for: $0) ? 1 : 0 }
                + classes.map { c.unexpected && c.isPositive(for: $0) ? 1 : 0 }
            Self.add(counts, to: &strata[stratum, default: Array(repeating: 0, count: counts.count)])
            if isProvisional { Self.add(counts, to: &provisional[stratum, default: Array(repeating: 0, count: counts.count)]) }
        }
        addSoldAs(sample, week: week, region: region)
        // The substance tables count verified samples only (`report-week-substances-verified`).
        let verified = classification != nil && !isProvisional
        var seen: Set<Name> = []
        let everywhere = names.id("")
        for analysis in sample.analyses {
            for finding in analysis.findings where finding.detected {
                guard let id = finding.substanceID else { continue }
                let substance = names.id(id)
                substanceWeeks[SubstanceWeek(substance: substance, region: everywhere, week: week), default: 0] += 1
                if sample.region != nil { substanceWeeks[SubstanceWeek(substance: substance, region: region, week: week), default: 0] += 1 }
                guard verified else { continue }
                let key = SubstanceKey(stratum: stratum, substance: substance)
                if seen.insert(substance).inserted { substances[key, default: 0] += 1 }
                // SQLite stores NaN as NULL, which the aggregates do not count.
                if let c = finding.concentration, !c.value.isNaN {
                    concentrations[ConcentrationKey(substance: key, unit: names.id(c.unit.rawValue), value: c.value), default: 0] += 1
                }
            }
        }
    }

    /// The sample in "what is in things sold as X": once per label, once per substance found
    /// (``WeekRollups/soldAsRows(weeks:join:distinct:)`` for a sample whose analyses all count).
    private mutating func addSoldAs(_ sample: Sample, week: Name, region: Name) {
        guard let label = sample.soldAsSubstanceID ?? sample.soldAs, !label.isEmpty, !sample.analyses.isEmpty else { return }
        let key = SoldAs(week: week, region: region, byID: sample.soldAsSubstanceID != nil, label: names.id(label))
        soldAs[key, default: 0] += 1
        var found: Set<String> = []
        for analysis in sample.analyses {
            for finding in analysis.findings where finding.detected { found.insert(finding.substanceID ?? finding.reportedName) }
        }
        for substance in found where !substance.isEmpty { soldAsFound[SoldAsFound(soldAs: key, substance: names.id(substance)), default: 0] += 1 }
    }

    private static func add(_ counts: [Int64], to total: inout [Int64]) {
        for i in counts.indices { total[i] += counts[i] }
    }

    /// Adds every held count to the stored aggregate rows and forgets them. The keys go in the
    /// order of each table's primary key: in random order, the upserts of a 1M-row import took a
    /// third longer (pages read back as the tables outgrew the cache).
    mutating func flush(_ db: Database) throws {
        let rank = names.ranks()
        let strataColumns = ReportAggregateSQL.strata
        for (table, rows) in [("report_week_stratum", strata), ("report_week_provisional", provisional)] where !rows.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert(table, key: strataColumns, counts: ReportAggregateSQL.countColumns))
            for (s, counts) in rows {
                try insert.run { b in
                    bind(s, &b)
                    for n in counts { b.integer(n) }
                }
            }
        }
        if !substanceWeeks.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_substance_week", key: ReportAggregateSQL.substanceWeekKey, counts: ["findings"]))
            for (k, n) in substanceWeeks.sorted(by: { (rank[$0.key.substance], rank[$0.key.region], rank[$0.key.week]) < (rank[$1.key.substance], rank[$1.key.region], rank[$1.key.week]) }) {
                try insert.run { b in b.text(names[k.substance]); b.text(names[k.region]); b.text(names[k.week]); b.integer(n) }
            }
        }
        if !substances.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_substance", key: ReportWeekSubstanceSQL.substanceKey, counts: ["samples"]))
            for (k, n) in substances.sorted(by: { rank.order($0.key) < rank.order($1.key) }) {
                try insert.run { b in bind(k.stratum, &b); b.text(names[k.substance]); b.integer(n) }
            }
        }
        if !concentrations.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_concentration", key: ReportWeekSubstanceSQL.concentrationKey, counts: ["findings"]))
            for (k, n) in concentrations.sorted(by: { x, y in
                let (a, b) = (rank.order(x.key.substance), rank.order(y.key.substance))
                return a != b ? a < b : (rank[x.key.unit], x.key.value) < (rank[y.key.unit], y.key.value)
            }) {
                try insert.run { b in bind(k.substance.stratum, &b); b.text(names[k.substance.substance]); b.text(names[k.unit]); b.double(k.value); b.integer(n) }
            }
        }
        if !soldAs.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_sold_as", key: WeekRollups.soldAsKey, counts: ["samples"]))
            for (k, n) in soldAs { try insert.run { b in bind(k, &b); b.integer(n) } }
        }
        if !soldAsFound.isEmpty {
            let insert = try FastInsert(db, sql: Self.upsert("report_week_sold_as_found", key: WeekRollups.soldAsFoundKey, counts: ["samples"]))
            for (k, n) in soldAsFound.sorted(by: { rank.order($0.key) < rank.order($1.key) }) {
                try insert.run { b in bind(k.soldAs, &b); b.text(names[k.substance]); b.integer(n) }
            }
        }
        strata = [:]; provisional = [:]; substanceWeeks = [:]; substances = [:]; concentrations = [:]; soldAs = [:]; soldAsFound = [:]
        names = NameTable()
    }

    /// The stratum's columns in the order of ``ReportAggregateSQL/strata``.
    private func bind(_ s: Stratum, _ b: inout FastInsert.Binder) {
        b.text(names[s.week]); b.text(names[s.type]); b.text(names[s.source]); b.text(names[s.region]); b.text(names[s.lab])
    }

    private func bind(_ s: SoldAs, _ b: inout FastInsert.Binder) {
        b.text(names[s.week]); b.text(names[s.region]); b.bool(s.byID); b.text(names[s.label])
    }

    private static func upsert(_ table: String, key: String, counts: [String]) -> String {
        let columns = key.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } + counts
        return """
            INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (\(key)) DO UPDATE SET \(counts.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", "))
            """
    }
}

/// Keys in the order of their table's primary key.
extension NameTable.Ranks {
    func order(_ k: AggregateDeltas.SubstanceKey) -> (Int32, Int32, Int32, Int32, Int32, Int32) {
        let s = k.stratum
        return (self[s.week], self[s.type], self[s.source], self[s.region], self[s.lab], self[k.substance])
    }

    func order(_ k: AggregateDeltas.SoldAsFound) -> (Int32, Int32, Int32, Int32, Int32) {
        (self[k.soldAs.week], self[k.soldAs.region], k.soldAs.byID ? 1 : 0, self[k.soldAs.label], self[k.substance])
    }
}
