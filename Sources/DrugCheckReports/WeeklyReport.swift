import DrugCheckModel
import DrugCheckStore

/// The weekly prevalence report for the health ministry: per substance class and stratum
/// (sample type, source, region, lab, `all` when summed over), samples tested and positive,
/// prevalence with its 95% Wilson interval, the change against the previous 4 weeks,
/// unexpected adulteration, concentrations, first-seen substances and EARS/CUSUM signals.
///
/// JSON (documented in `Schemas/weekly-report.schema.json`; later versions add fields, never
/// remove or rename them):
/// `{"schema_version": "1.0", "week": "2026-W47", "cells": [{"class": "nitazene", "sample_type": "vape_refill",
///   "source": "all", "region": "all", "lab": "all", "tested": 12, "positive": 3, "prevalence": 0.25, "ci_low": 0.089, ...}], ...}`
///
/// ```swift
/// let report = try WeeklyReportBuilder(database: db).report(for: ISOWeek("2026-W47")!)
/// report.cell(.nitazene, sampleType: "vape_refill")?.ciHigh
/// ```
public struct WeeklyReport: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = "1.0"
    /// Cells with fewer samples than this are flagged `small_number` (never hidden).
    public static let smallNumberThreshold = 5
    /// The value of a stratum column summed over.
    public static let all = "all"
    /// The region column's value for samples without a region.
    public static let unknownRegion = "unknown"

    public var schemaVersion = WeeklyReport.currentSchemaVersion
    public var week: ISOWeek
    public var weekStart: CalendarDate
    public var weekEnd: CalendarDate
    /// The `--region` the report is restricted to, `nil` for the whole jurisdiction.
    public var regionFilter: String?
    /// Weeks in `trend` (and at least 12 weeks of history behind the signals).
    public var trendWeeks: Int
    /// Samples of the week dated by their analysis because the collection date was missing.
    public var datedByAnalysis: Int
    public var notes: [String]
    public var cells: [Cell]
    public var trend: [TrendPoint]
    public var alarms: [Alarm]
    public var firstSeen: [FirstSeenSubstance]
    /// The audit log's head when the report was built (`audit_head`, absent when the log is empty
    /// and in files made before it existed): whoever holds the report can later check with
    /// `drugcheck audit verify --expect-head SEQ:HASH` that the log was not rewritten.
    public var auditHead: AuditHead?
    /// For a week that has ended: each set of figures reports of this week (and region filter)
    /// showed, with when it was first produced, oldest first (`editions`); more than one means
    /// the figures changed since the report was first produced.
    public var editions: [ReportEdition]?

    public init(week: ISOWeek, cells: [Cell], regionFilter: String? = nil, trendWeeks: Int = 0, datedByAnalysis: Int = 0,
                notes: [String] = [], trend: [TrendPoint] = [], alarms: [Alarm] = [], firstSeen: [FirstSeenSubstance] = []) {
        self.week = week
        weekStart = week.monday
        weekEnd = week.sunday
        self.regionFilter = regionFilter
        self.trendWeeks = trendWeeks
        self.datedByAnalysis = datedByAnalysis
        self.notes = notes
        self.cells = cells
        self.trend = trend
        self.alarms = alarms
        self.firstSeen = firstSeen
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", week, weekStart = "week_start", weekEnd = "week_end"
        case regionFilter = "region_filter", trendWeeks = "trend_weeks", datedByAnalysis = "dated_by_analysis"
        case notes, cells, trend, alarms, firstSeen = "first_seen", auditHead = "audit_head", editions
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(week, forKey: .week)
        try c.encode(weekStart.description, forKey: .weekStart)
        try c.encode(weekEnd.description, forKey: .weekEnd)
        try c.encode(regionFilter, forKey: .regionFilter)  // explicit null
        try c.encode(trendWeeks, forKey: .trendWeeks)
        try c.encode(datedByAnalysis, forKey: .datedByAnalysis)
        try c.encode(notes, forKey: .notes)
        try c.encode(cells, forKey: .cells)
        try c.encode(trend, forKey: .trend)
        try c.encode(alarms, forKey: .alarms)
        try c.encode(firstSeen, forKey: .firstSeen)
        try c.encodeIfPresent(auditHead, forKey: .auditHead)
        try c.encodeIfPresent(editions, forKey: .editions)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(String.self, forKey: .schemaVersion)
        week = try c.decode(ISOWeek.self, forKey: .week)
        weekStart = week.monday
        weekEnd = week.sunday
        regionFilter = try c.decodeIfPresent(String.self, forKey: .regionFilter)
        trendWeeks = try c.decode(Int.self, forKey: .trendWeeks)
        datedByAnalysis = try c.decode(Int.self, forKey: .datedByAnalysis)
        notes = try c.decode([String].self, forKey: .notes)
        cells = try c.decode([Cell].self, forKey: .cells)
        trend = try c.decode([TrendPoint].self, forKey: .trend)
        alarms = try c.decode([Alarm].self, forKey: .alarms)
        firstSeen = try c.decode([FirstSeenSubstance].self, forKey: .firstSeen)
        auditHead = try c.decodeIfPresent(AuditHead.self, forKey: .auditHead)
        editions = try c.decodeIfPresent([ReportEdition].self, forKey: .editions)
    }

    /// The cell of one class in one stratum; unspecified dimensions are `all`.
    public func cell(_ reportClass: ReportClass, sampleType: String = all, source: String = all,
                     region: String = all, lab: String = all) -> Cell? {
        cells.first {
            $0.reportClass == reportClass && $0.sampleType == sampleType && $0.source == source
                && $0.region == region && $0.lab == lab
        }
    }

    /// The report with its regions named in `language` (`en`, `nl`, `fr`, `de`; NUTS names from
    /// `RegionCatalogue`): the only part of a report that depends on its language, so one report
    /// serves every language.
    public func namingRegions(in language: String) -> WeeklyReport {
        var report = self
        for i in report.cells.indices {
            report.cells[i].regionName = RegionCatalogue.bundled.name(of: report.cells[i].region, in: language)
        }
        return report
    }
}
