import DrugCheckModel
import Foundation
import GRDB

/// Generates a realistic-looking surveillance database for benchmarks and tests: samples spread
/// over ISO weeks, regions, labs, sample types and sources, each with 1–4 detected substances
/// drawn from the catalogue, a classification consistent with them, and some concentrations.
/// Each week gets samples until it holds its share of `findings` (so the total is at least
/// `findings`); a sample without any finding counts as a tested negative.
/// Rows go in through plain SQL inserts, so the store's report triggers maintain their
/// aggregates exactly as they do for imports. Deterministic for a given seed.
///
/// ```swift
/// let stats = try SyntheticSurveillanceData(findings: 100_000, lastWeek: ISOWeek("2026-W47")!)
///     .generate(into: db, catalogue: .bundled)
/// ```
public struct SyntheticSurveillanceData: Sendable {
    public var findings: Int
    public var weeks: Int
    public var lastWeek: ISOWeek
    public var seed: UInt64
    public var regions = ["North", "South", "East", "West", "Capital", "Coast", "Mountains", "Lakes", "Islands"]
    public var labs = ["LAB-A", "LAB-B", "LAB-C", "LAB-D"]

    public init(findings: Int, weeks: Int = 261, lastWeek: ISOWeek, seed: UInt64 = 47) {
        self.findings = findings
        self.weeks = weeks
        self.lastWeek = lastWeek
        self.seed = seed
    }

    public struct Totals: Sendable { public var samples = 0, findings = 0 }

    // (catalogue class, chance a sample contains one)
    static let classChances: [(SubstanceClass, Double)] = [
        (.fentanylAnalogue, 0.18), (.nitazene, 0.04), (.otherNSO, 0.01), (.classicOpioid, 0.15),
        (.xylazineMedetomidine, 0.08), (.syntheticCannabinoid, 0.05), (.stimulant, 0.45), (.cuttingAgent, 0.35),
        (.benzodiazepine, 0.06),
    ]
    static let sampleTypes: [(SampleType, Double)] = [
        (.powder, 0.5), (.tablet, 0.2), (.vapeRefill, 0.06), (.eLiquid, 0.03), (.herbal, 0.06), (.capsule, 0.05),
        (.liquid, 0.04), (.blotter, 0.02), (.residue, 0.03), (.other, 0.01),
    ]
    static let sources: [(SampleSource, Double)] = [(.drugChecking, 0.7), (.policeSeizure, 0.25), (.customsSeizure, 0.05)]

    public func generate(into database: DrugCheckDatabase, catalogue: SubstanceCatalogue) throws -> Totals {
        var rng = SplitMix64(seed: seed)
        let byClass = Dictionary(grouping: catalogue.substances, by: \.substanceClass).mapValues { $0.map(\.id).sorted().prefix(6) }
        let first = lastWeek.adding(weeks: -(weeks - 1))
        var totals = Totals()
        try database.pool.write { db in
            for lab in labs { try db.execute(sql: "INSERT OR IGNORE INTO lab (code, name) VALUES (?, ?)", arguments: [lab, lab]) }
            try db.execute(sql: """
                INSERT INTO import_batch (lab_code, file_name, sha256, format, received_at, outcome)
                VALUES (NULL, 'synthetic', hex(randomblob(32)), 'synthetic', '2026-01-01 00:00:00', 'imported')
                """)
            let batch = db.lastInsertedRowID
            let sample = try db.makeStatement(sql: """
                INSERT INTO sample (lab_code, lab_sample_id, sample_type, source, sold_as, collected_on, region, iso_week, week_basis, first_batch_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let analysis = try db.makeStatement(sql: "INSERT INTO analysis (sample_id, batch_id, technique, analysed_on) VALUES (?, ?, 'GC-MS', ?)")
            let finding = try db.makeStatement(sql: """
                INSERT INTO finding (analysis_id, reported_name, substance_id, detected, concentration, unit) VALUES (?, ?, ?, 1, ?, ?)
                """)
            let classification = try db.makeStatement(sql: """
                INSERT INTO sample_classification (sample_id, any_synthetic_opioid, fentanyl_analogue, nitazene, other_nso,
                    classic_opioid, xylazine_medetomidine, synthetic_cannabinoid, unexpected, risk_tier, rules_version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'moderate', 'synthetic')
                """)
            for w in 0..<weeks {
                let week = first.adding(weeks: w)
                // Samples until the weeks so far hold their share of the findings: the total
                // reaches `findings` exactly or overshoots by less than one sample per week.
                let findingsThroughWeek = findings * (w + 1) / weeks
                while totals.findings < findingsThroughWeek {
                    let day = week.monday.adding(days: Int(rng.next() % 7))
                    let dated = rng.uniform() > 0.03
                    let soldAs = rng.uniform() < 0.6 ? (rng.uniform() < 0.5 ? "heroin" : "cocaine") : nil
                    totals.samples += 1
                    try sample.execute(arguments: [
                        labs[Int(rng.next() % UInt64(labs.count))], "S\(totals.samples)", rng.pick(Self.sampleTypes).rawValue,
                        rng.pick(Self.sources).rawValue, soldAs, dated ? day.description : nil,
                        rng.uniform() < 0.97 ? regions[Int(rng.next() % UInt64(regions.count))] : nil,
                        week.description, dated ? "collected" : "analysed", batch,
                    ])
                    let sampleID = db.lastInsertedRowID
                    try analysis.execute(arguments: [sampleID, batch, day.adding(days: 2).description])
                    let analysisID = db.lastInsertedRowID
                    var present: Set<SubstanceClass> = []
                    for (substanceClass, chance) in Self.classChances where rng.uniform() < chance {
                        guard let ids = byClass[substanceClass], !ids.isEmpty else { continue }
                        // Skewed towards the first (most common) substance of each class.
                        let id = ids[ids.startIndex + min(ids.count - 1, Int(-log(1 - rng.uniform())))]
                        let quantified = rng.uniform() < 0.4
                        try finding.execute(arguments: [analysisID, id, id, quantified ? (rng.uniform() * 60).rounded() / 2 : nil,
                                                        quantified ? "%w/w" : nil])
                        present.insert(substanceClass)
                        totals.findings += 1
                    }
                    let classes = Set(present.flatMap(ReportClass.classes(of:)))
                    let synthetic = classes.contains(.anySyntheticOpioid)
                    try classification.execute(arguments: [
                        sampleID, synthetic, classes.contains(.fentanylAnalogue), classes.contains(.nitazene), classes.contains(.otherNSO),
                        classes.contains(.classicOpioid), classes.contains(.xylazineMedetomidine), classes.contains(.syntheticCannabinoid),
                        synthetic && soldAs == "cocaine",
                    ])
                }
            }
            try WeekRollups.recompute(db, weeks: Set((0..<weeks).map { first.adding(weeks: $0).description }))
            try AuditLog.append(.import, subject: "batch:\(batch)", actor: "synthetic", coveringBatches: [batch], in: db)
        }
        return totals
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, fast, seedable generator for reproducible data.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        var u = uniform() * weighted.reduce(0) { $0 + $1.1 }
        for (value, weight) in weighted {
            u -= weight
            if u < 0 { return value }
        }
        return weighted[weighted.count - 1].0
    }
}
