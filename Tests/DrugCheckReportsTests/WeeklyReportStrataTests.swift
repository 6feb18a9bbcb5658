import DrugCheckClassify
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import GRDB
import Testing

@Suite("Weekly report strata, intervals, baselines and signals")
struct WeeklyReportStrataTests {
    static let week = "2026-W40"

    @Test func everyStratumSumsToTheTotal() throws {
        let db = try ReportTestDatabase.withExamples()
        let report = try db.report(Self.week)
        let stored = try db.database.writer.read { d in
            try Row.fetchAll(d, sql: "SELECT DISTINCT sample_type, source, COALESCE(region, ''), lab_code FROM sample WHERE iso_week = ?",
                             arguments: [Self.week])
        }
        #expect(stored.count > 10)
        let values: [(String, KeyPath<WeeklyReport.Cell, String>, Set<String>)] = [
            ("sample_type", \.sampleType, Set(stored.map { $0[0] as String })),
            ("source", \.source, Set(stored.map { $0[1] as String })),
            ("region", \.region, Set(stored.map { ($0[2] as String).isEmpty ? "unknown" : $0[2] })),
            ("lab", \.lab, Set(stored.map { $0[3] as String })),
        ]
        #expect(values[3].2.count >= 3, "the examples come from several labs")
        for reportClass in ReportClass.allCases {
            let total = try #require(report.cell(reportClass))
            for (name, path, expected) in values {
                let cells = report.cells.filter { $0.reportClass == reportClass && $0[keyPath: path] != "all" }
                #expect(Set(cells.map { $0[keyPath: path] }).isSuperset(of: expected), "\(reportClass) \(name)")
                #expect(cells.reduce(0) { $0 + $1.tested } == total.tested, "\(reportClass) \(name) tested")
                #expect(cells.reduce(0) { $0 + $1.positive } == total.positive, "\(reportClass) \(name) positive")
                #expect(cells.reduce(0) { $0 + $1.unexpected } == total.unexpected, "\(reportClass) \(name) unexpected")
                // Each cell has exactly one dimension that is not summed over.
                #expect(cells.allSatisfy { [$0.sampleType, $0.source, $0.region, $0.lab].filter { $0 != "all" }.count == 1 })
            }
        }
        let opioids = try #require(report.cell(.anySyntheticOpioid))
        for part in [ReportClass.fentanylAnalogue, .nitazene, .otherNSO] {
            #expect(report.cell(part)!.positive <= opioids.positive)
        }
        #expect(report.cell(.anySyntheticOpioid, sampleType: "vape_refill") != nil, "vape refills are reported on their own")
    }

    @Test func intervalsSmallNumbersAndBaselines() throws {
        let db = try ReportTestDatabase.withExamples()
        let report = try db.report(Self.week)
        for cell in report.cells {
            #expect(cell.smallNumber == (cell.tested < 5))
            if let ci = WilsonInterval(successes: cell.positive, trials: cell.tested) {
                #expect(cell.ciLow == ci.lower && cell.ciHigh == ci.upper)
                #expect(ci.lower <= cell.prevalence! && cell.prevalence! <= ci.upper)
            } else {
                #expect(cell.ciLow == nil && cell.prevalence == nil)
            }
        }
        // The baseline is the mean prevalence of the previous four weekly reports' same cell.
        let previous = try (1...4).map { try db.report(ISOWeek(Self.week)!.adding(weeks: -$0).description) }
        for cell in report.cells where cell.lab == "all" && cell.region == "all" {
            let earlier = previous.compactMap {
                $0.cell(cell.reportClass, sampleType: cell.sampleType, source: cell.source)?.prevalence
            }
            let mean = earlier.isEmpty ? nil : earlier.reduce(0, +) / Double(earlier.count)
            #expect(cell.baselinePrevalence.map { abs($0 - mean!) < 1e-12 } ?? (mean == nil), "\(cell.reportClass) \(cell.stratum)")
            if let p = cell.prevalence, let mean { #expect(abs(cell.changeVsBaseline! - (p - mean)) < 1e-12) }
        }
    }

    @Test func signalsRunOnTheWeeklyPositiveCounts() throws {
        let db = try ReportTestDatabase.withExamples()
        let week = ISOWeek("2026-W47")!
        let report = try db.report(week.description)
        let counts = try (0..<12).reversed().map { i in
            Double(try db.report(week.adding(weeks: -i).description).cell(.anySyntheticOpioid)!.positive)
        }
        let signals = try #require(report.cell(.anySyntheticOpioid)?.signals)
        #expect(signals == WeeklyReport.CellSignals(counts: counts))
        #expect(signals.seriesWeeks == 12)
        #expect(signals.earsC1.upperbound != nil && signals.earsC3.upperbound != nil && signals.cusum.upperbound != nil)
        #expect(report.cells.filter { $0.signals != nil }.allSatisfy { $0.stratum == "all" || $0.stratum.hasPrefix("region=") })
        for alarm in report.alarms {
            let cell = try #require(report.cell(alarm.reportClass, region: alarm.region))
            #expect(cell.signals?.alarming == alarm.methods)
        }
    }

    @Test func concentrationsPotencyAndFirstSeen() throws {
        let db = try ReportTestDatabase.withExamples()
        let first = try db.database.writer.read { d in
            try String.fetchOne(d, sql: "SELECT MIN(iso_week) FROM sample")!
        }
        let report = try db.report(first)
        #expect(!report.firstSeen.isEmpty, "every substance is new in the first week with data")
        #expect(report.firstSeen.map(\.substanceID) == report.firstSeen.map(\.substanceID).sorted())
        let later = try db.report(ISOWeek(first)!.adding(weeks: 6).description)
        let seenBefore = Set(report.firstSeen.map(\.substanceID))
        #expect(later.firstSeen.allSatisfy { !seenBefore.contains($0.substanceID) })

        let fentanyls = try #require(try db.report("2026-W40").cell(.fentanylAnalogue))
        if fentanyls.quantified > 0 {
            #expect(fentanyls.medianConcentration != nil && fentanyls.concentrationUnit != nil)
        }
        for cell in report.cells + later.cells {
            if let id = cell.highestPotencySubstance {
                let substance = try #require(SubstanceCatalogue.bundled[id])
                #expect(ReportClass(substance.substanceClass) == cell.reportClass
                        || (cell.reportClass == .anySyntheticOpioid && substance.substanceClass.isSyntheticOpioid))
            }
        }
    }
}
