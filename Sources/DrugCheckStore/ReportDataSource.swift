import DrugCheckModel
import Foundation

/// What the weekly report reads from a database, whatever the backend: the maintained weekly
/// aggregates, the audit log's head, and the report's editions (recorded as it runs). The
/// embedded SQLite store answers through ``ReportAggregateReader``; the PostgreSQL backend
/// answers the same questions with the same queries.
///
/// ```swift
/// let source: any ReportDataSource = ReportAggregateReader(database: db)
/// let rows = try source.counts(from: ISOWeek("2026-W36")!, through: ISOWeek("2026-W47")!, region: nil)
/// ```
public protocol ReportDataSource: Sendable {
    /// Verified and provisional counts per stratum and week, `first` through `last`, of every
    /// region or of one (`""` is "no region given").
    func counts(from first: ISOWeek, through last: ISOWeek, region: String?) throws -> [ReportAggregateReader.StratumRow]
    /// The week's substances per stratum.
    func substances(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.SubstanceRow]
    /// The week's quantified findings as a histogram per stratum, substance and unit.
    func concentrations(in week: ISOWeek, region: String?) throws -> [ReportAggregateReader.ConcentrationRow]
    /// Substances whose first detection (everywhere, or in `region`) falls in `week`.
    func firstSeen(in week: ISOWeek, region: String?) throws -> Set<String>
    /// The audit log's latest entry, printed with every report.
    func auditHead() throws -> AuditHead?
    /// The report's editions, this one (`figures`) recorded when it differs from the latest.
    func reportEditions(week: String, scope: String, figures: String, at now: Date) throws -> [ReportEdition]
}

extension ReportAggregateReader: ReportDataSource {
    public func auditHead() throws -> AuditHead? {
        try AuditLog(database: database).head()
    }

    public func reportEditions(week: String, scope: String, figures: String, at now: Date) throws -> [ReportEdition] {
        try database.reportEditions(week: week, scope: scope, figures: figures, at: now)
    }
}
