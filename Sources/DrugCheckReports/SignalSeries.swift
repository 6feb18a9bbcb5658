import DrugCheckModel

/// The weekly positive counts of one report class, in all samples or in one region, that the
/// report's signals run on: the weeks up to and including the report week (at least
/// `WeeklyReportBuilder.minimumSignalWeeks`, more when the report's trend is longer). The
/// report's cells and alarms and the bulletins' statistical-signal trigger all read this type,
/// so a bulletin never disagrees with the report of the same week.
///
/// ```swift
/// let series = try WeeklyReportBuilder(database: db).signalSeries(for: ISOWeek("2026-W47")!)
/// for s in series where s.point(.earsC1)?.alarm == true { print(s.reportClass, s.region) }
/// ```
public struct SignalSeries: Sendable, Equatable {
    public var reportClass: ReportClass
    /// `WeeklyReport.all`, a region, or `WeeklyReport.unknownRegion` for samples without one.
    public var region: String
    /// Consecutive weeks, oldest first; the last is the report week.
    public var weeks: [ISOWeek]
    /// Positive samples per week, one per entry of `weeks`.
    public var counts: [Double]

    public init(reportClass: ReportClass, region: String, weeks: [ISOWeek], counts: [Double]) {
        precondition(weeks.count == counts.count, "one count per week")
        self.reportClass = reportClass
        self.region = region
        self.weeks = weeks
        self.counts = counts
    }

    /// The report week.
    public var week: ISOWeek { weeks[weeks.count - 1] }

    /// One method's verdict at the report week.
    public func point(_ method: SignalMethod) -> SignalPoint? { method.evaluate(counts).last }

    /// Every method's verdict at the report week, as the report's cell shows it.
    public var signals: WeeklyReport.CellSignals { WeeklyReport.CellSignals(counts: counts) }
}
