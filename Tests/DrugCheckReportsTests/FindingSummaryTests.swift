import DrugCheckClassify
import DrugCheckModel
@testable import DrugCheckReports
import DrugCheckStore
import Testing

/// The report's substance and concentration figures per cell (bitsets and presorted indexes)
/// equal a direct computation over the rows: for each stratum key and class, the rows counting
/// in it, the unit with most findings (ties: alphabetically first), R's median of the values
/// written out, the first-seen substances and the most potent one.
@Suite("Finding summary")
struct FindingSummaryTests {
    @Test func cellsEqualADirectComputationOverTheRows() {
        let catalogue = SubstanceCatalogue.bundled
        // Opioids and others of the bundled catalogue, and an id it does not know.
        let ids = catalogue.substances.map(\.id).sorted().enumerated().filter { $0.offset % 7 == 0 }.map(\.element) + ["not-in-catalogue"]
        let units = ["%w/w", "mg/mL", "µg/unit"]
        var rng = SplitMix64(seed: 17)
        for _ in 0..<40 {
            func pick<T>(_ values: [T]) -> T { values[Int(rng.next() % UInt64(values.count))] }
            let strata = (0..<(1 + Int(rng.next() % 12))).map { _ in
                ReportAggregateReader.Strata(sampleType: pick(["powder", "tablet", "vape_liquid"]), source: pick(["drug_checking", "seizure"]),
                                             region: pick(["", "BE10", "BE21"]), lab: pick(["LAB-A", "LAB-B"]))
            }
            let substances = (0..<Int(rng.next() % 60)).map { _ in
                ReportAggregateReader.SubstanceRow(strata: pick(strata), substanceID: pick(ids), samples: 1 + Int(rng.next() % 4))
            }
            let concentrations = (0..<Int(rng.next() % 80)).map { _ in
                ReportAggregateReader.ConcentrationRow(strata: pick(strata), substanceID: pick(ids), unit: pick(units),
                                                       concentration: Double(rng.next() % 9) * 2.5, findings: Int(rng.next() % 4))
            }
            let firstSeen = Set(ids.filter { _ in rng.next() % 3 == 0 })
            let summary = FindingSummary(detected: DetectedSubstances(substances, catalogue: catalogue, firstSeen: firstSeen),
                                         quantified: QuantifiedFindings(concentrations, catalogue: catalogue))

            let keys = Set(strata.flatMap { StratumKey.keys(sampleType: $0.sampleType, source: $0.source, region: $0.region, lab: $0.lab) })
            for key in keys {
                for (k, reportClass) in ReportClass.allCases.enumerated() {
                    func counts(_ s: ReportAggregateReader.Strata, _ id: String) -> Bool {
                        StratumKey.keys(sampleType: s.sampleType, source: s.source, region: s.region, lab: s.lab).contains(key)
                            && catalogue[id].map { reportClass.contains($0.substanceClass) } == true
                    }
                    var cell = key.cell(reportClass, tested: 0, positive: 0)
                    summary.fill(&cell, key: key, classIndex: k)

                    let found = Set(substances.filter { counts($0.strata, $0.substanceID) }.map(\.substanceID))
                    #expect(cell.firstSeen == found.filter(firstSeen.contains).sorted())
                    #expect(cell.highestPotencySubstance == Potency.mostPotent(found.compactMap { catalogue[$0] })?.id)

                    let quantified = concentrations.filter { counts($0.strata, $0.substanceID) && $0.findings > 0 }
                    let byUnit = Dictionary(grouping: quantified, by: \.unit)
                    let unit = byUnit.map { ($0.key, $0.value.reduce(0) { $0 + $1.findings }) }
                        .max { ($0.1, $1.0) < ($1.1, $0.0) }
                    #expect(cell.concentrationUnit == unit?.0, "\(key) \(reportClass)")
                    #expect(cell.quantified == (unit?.1 ?? 0))
                    let values = (unit.map { byUnit[$0.0]! } ?? []).flatMap { Array(repeating: $0.concentration, count: $0.findings) }
                    #expect(cell.medianConcentration == Median.of(values))
                }
            }
            let samples = Dictionary(grouping: substances.filter { catalogue[$0.substanceID] != nil }, by: \.substanceID)
            #expect(summary.firstSeenSubstances.map(\.substanceID) == samples.keys.filter(firstSeen.contains).sorted())
            #expect(summary.firstSeenSubstances.map(\.samples) == summary.firstSeenSubstances.map { samples[$0.substanceID]!.reduce(0) { $0 + $1.samples } })
        }
    }
}
