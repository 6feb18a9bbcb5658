import DrugCheckClassify
import DrugCheckModel
import DrugCheckStore
import Foundation

/// Builds the weekly report from the store's maintained weekly aggregates: counts per stratum,
/// and the report week's substances and concentrations per stratum. See `WeeklyReport` for what
/// each cell holds.
///
/// ```swift
/// let builder = WeeklyReportBuilder(database: db)
/// let report = try builder.report(for: ISOWeek("2026-W47")!, trendWeeks: 12, region: nil)
/// ```
public struct WeeklyReportBuilder: Sendable {
    /// The signals need C3's 11 previous weeks; the series never gets shorter than this.
    public static let minimumSignalWeeks = 12

    /// Where the aggregates are read: the SQLite store, or another backend's ``ReportDataSource``.
    public let source: any ReportDataSource
    public let catalogue: SubstanceCatalogue

    public init(source: any ReportDataSource, catalogue: SubstanceCatalogue = .bundled) {
        self.source = source
        self.catalogue = catalogue
    }

    public init(database: DrugCheckDatabase, catalogue: SubstanceCatalogue = .bundled) {
        self.init(source: ReportAggregateReader(database: database), catalogue: catalogue)
    }

    /// `language` (`en`, `nl`, `fr`, `de`) names the regions; `now` decides whether the week has
    /// ended (its editions are then recorded).
    public func report(for week: ISOWeek, trendWeeks: Int = 12, region: String? = nil, language: String = "en",
                       now: Date = Date()) throws -> WeeklyReport {
        let trendWeeks = max(1, trendWeeks)
        let regionKey = region == WeeklyReport.unknownRegion ? "" : region
        // Two halves of about equal time, read and folded at once.
        let ((first, table, detected), quantified) = try Concurrently.both({ [source, catalogue] in
            let (first, table) = try strata(through: week, trendWeeks: trendWeeks, region: region)
            return (first, table, DetectedSubstances(try source.substances(in: week, region: regionKey), catalogue: catalogue,
                                                     firstSeen: try source.firstSeen(in: week, region: regionKey)))
        }, { [source, catalogue] in
            QuantifiedFindings(try source.concentrations(in: week, region: regionKey), catalogue: catalogue)
        })
        let findings = FindingSummary(detected: detected, quantified: quantified)
        let history = first.distance(to: week) + 1
        let last = history - 1
        var cells: [WeeklyReport.Cell] = []
        var alarms: [WeeklyReport.Alarm] = []
        for (k, reportClass) in ReportClass.allCases.enumerated() {
            for key in table.keys.sorted() {
                let series = table[key]!
                var cell = key.cell(reportClass, tested: series[last].tested, positive: series[last].positive[k])
                cell.provisionalTested = series[last].provisionalTested
                cell.provisionalPositive = series[last].provisionalPositive[k]
                cell.unexpected = series[last].unexpected[k]
                let previous = series[(last - BaselineComparison.defaultWeeks)..<last].map { week in
                    week.tested > 0 ? Double(week.positive[k]) / Double(week.tested) : nil
                }
                let comparison = BaselineComparison(current: cell.prevalence, previous: previous)
                cell.baselinePrevalence = comparison.baseline
                cell.changeVsBaseline = comparison.change
                findings.fill(&cell, key: key, classIndex: k)
                if key.hasSignals {
                    let signals = Self.signalSeries(reportClass, classIndex: k, key: key, series, first: first).signals
                    cell.signals = signals
                    if !signals.alarming.isEmpty {
                        alarms.append(.init(reportClass: reportClass, region: key.value, observed: cell.positive,
                                            methods: signals.alarming))
                    }
                }
                cells.append(cell)
            }
        }

        let total = table[.total]!
        let trend = ReportClass.allCases.enumerated().flatMap { k, reportClass in
            ((history - trendWeeks)...last).map { i in
                WeeklyReport.TrendPoint(week: first.adding(weeks: i), reportClass: reportClass,
                                        tested: total[i].tested, positive: total[i].positive[k])
            }
        }
        var report = WeeklyReport(week: week, cells: cells, regionFilter: region, trendWeeks: trendWeeks,
                                  datedByAnalysis: total[last].analysedBasis,
                                  notes: Self.notes(total[last], region: region), trend: trend, alarms: alarms,
                                  firstSeen: findings.firstSeenSubstances)
        report.auditHead = try source.auditHead()
        if week < CalendarDate.today(now: now).isoWeek {
            let editions = try source.reportEditions(week: week.description, scope: region.map { "region:\($0)" } ?? "all",
                                                       figures: Self.figures(report), at: now)
            report.editions = editions
            if let note = Self.changeNote(editions) { report.notes.insert(note, at: 0) }
        }
        return report.namingRegions(in: language)
    }

    /// The report week's figures as canonical text: what an edition of the report is.
    static func figures(_ report: WeeklyReport) -> String {
        report.cells.map { c in
            // Codes only: the figures are the same whatever the report's language.
            [c.reportClass.rawValue, c.sampleType, c.source, c.region, c.lab, "\(c.tested)", "\(c.positive)", "\(c.provisionalTested)",
             "\(c.provisionalPositive)", "\(c.unexpected)"].joined(separator: "|")
        }.joined(separator: "\n") + "\n" + report.firstSeen.map(\.substanceID).joined(separator: ",")
    }

    static func changeNote(_ editions: [ReportEdition]) -> String? {
        guard let first = editions.first, editions.count > 1 else { return nil }
        let changes = editions.dropFirst().map { $0.producedAt.formatted(.iso8601) }.joined(separator: ", ")
        return "The figures of this week changed since this report was first produced on \(first.producedAt.formatted(.iso8601)) "
            + "(changed figures first produced on \(changes)): results were amended, verified or arrived late; "
            + "see `drugcheck audit show --since \(first.producedAt.formatted(.iso8601))`."
    }

    /// The weekly counts of every stratum over the weeks the report (and its signals) look at,
    /// from the store's aggregates; the first week and one entry per week from it.
    private func strata(through week: ISOWeek, trendWeeks: Int, region: String?) throws -> (ISOWeek, [StratumKey: [StratumCounts]]) {
        let history = max(trendWeeks, Self.minimumSignalWeeks)
        let first = week.adding(weeks: -(history - 1))
        let regionKey = region == WeeklyReport.unknownRegion ? "" : region
        var table: [StratumKey: [StratumCounts]] = [:]
        var weekIndexes: [String: Int] = [:]
        var strataKeys = StratumKey.Cache()
        for row in try source.counts(from: first, through: week, region: regionKey) {
            let index: Int
            if let known = weekIndexes[row.week] {
                index = known
            } else {
                guard let rowWeek = ISOWeek(row.week) else { continue }
                index = first.distance(to: rowWeek)
                weekIndexes[row.week] = index
            }
            for key in strataKeys.keys(row.key) {
                table[key, default: Array(repeating: StratumCounts(), count: history)][index].add(row)
            }
        }
        if table[.total] == nil { table[.total] = Array(repeating: StratumCounts(), count: history) }
        return (first, table)
    }

    private static func signalSeries(_ reportClass: ReportClass, classIndex k: Int, key: StratumKey, _ series: [StratumCounts],
                                     first: ISOWeek) -> SignalSeries {
        SignalSeries(reportClass: reportClass, region: key.value, weeks: series.indices.map { first.adding(weeks: $0) },
                     counts: series.map { Double($0.positive[k]) })
    }

    /// The series behind the signals of the report of `week` (same `trendWeeks`): every class,
    /// in all samples and in each region, in the report's cell order.
    public func signalSeries(for week: ISOWeek, trendWeeks: Int = 12) throws -> [SignalSeries] {
        let (first, table) = try strata(through: week, trendWeeks: max(1, trendWeeks), region: nil)
        let keys = table.keys.filter(\.hasSignals).sorted()
        return ReportClass.allCases.enumerated().flatMap { k, reportClass in
            keys.map { Self.signalSeries(reportClass, classIndex: k, key: $0, table[$0]!, first: first) }
        }
    }

    static func notes(_ week: StratumCounts, region: String?) -> [String] {
        var notes: [String] = []
        if week.tested == 0 { notes.append("No samples were tested in this week.") }
        if week.analysedBasis > 0 {
            notes.append("\(week.analysedBasis) of \(week.tested) samples had no collection date and were assigned to the week of their analysis.")
        }
        if week.provisionalTested > 0 {
            notes.append("\(week.provisionalTested) sample\(week.provisionalTested == 1 ? " has" : "s have") results awaiting verification: "
                         + "shown apart as PROVISIONAL (provisional_tested, provisional_positive), not counted in tested, positive or prevalence.")
        }
        if let region { notes.append("Restricted to region \(region); first-seen substances are first seen in that region.") }
        notes.append("Cells with fewer than \(WeeklyReport.smallNumberThreshold) samples are flagged small_number, not hidden.")
        return notes
    }

    /// The last ISO week that has ended on `today`.
    public static func lastCompleteWeek(today: CalendarDate) -> ISOWeek {
        today.isoWeek.adding(weeks: -1)
    }
}

extension WeeklyReportBuilder {
    /// `EXPLAIN QUERY PLAN` of each query the report runs on SQLite, for BENCHMARKS.md.
    public func queryPlans() throws -> [(name: String, plan: [String])] {
        guard let sqlite = source as? ReportAggregateReader else { return [] }
        return try sqlite.queryPlans()
    }
}
