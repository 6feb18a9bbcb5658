import DrugCheckStore
import Foundation
import GRDB

/// Counts one ISO week's samples from the store: one grouped query over the week's samples,
/// served by the `sample_week` index.
///
/// ```swift
/// let report = try WeeklyReportBuilder(database: db).report(for: ISOWeek("2026-W47")!)
/// ```
public struct WeeklyReportBuilder: Sendable {
    public let database: DrugCheckDatabase

    public init(database: DrugCheckDatabase) {
        self.database = database
    }

    public func report(for week: ISOWeek) throws -> WeeklyReport {
        let classColumns = ReportClass.allCases.map { "SUM(c.\($0.rawValue))" }.joined(separator: ", ")
        let rows = try database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.sample_type, COUNT(*), \(classColumns)
                FROM sample s JOIN sample_classification c ON c.sample_id = s.id
                WHERE s.iso_week = ?
                GROUP BY s.sample_type
                """, arguments: [week.description])
        }
        var byType: [String: (tested: Int, positive: [Int])] = [:]
        for row in rows {
            let positives = ReportClass.allCases.indices.map { (row[$0 + 2] as Int?) ?? 0 }
            byType[row[0]] = (row[1], positives)
        }
        let totalTested = byType.values.reduce(0) { $0 + $1.tested }
        let orderedTypes = SampleType.allCases.map(\.rawValue).filter { byType[$0] != nil }
        var cells: [WeeklyReport.Cell] = []
        for (k, reportClass) in ReportClass.allCases.enumerated() {
            let totalPositive = byType.values.reduce(0) { $0 + $1.positive[k] }
            cells.append(.init(reportClass: reportClass, sampleType: "all", tested: totalTested, positive: totalPositive))
            for type in orderedTypes {
                let counts = byType[type]!
                cells.append(.init(reportClass: reportClass, sampleType: type, tested: counts.tested, positive: counts.positive[k]))
            }
        }
        return WeeklyReport(week: week, cells: cells)
    }

    /// The last ISO week that has ended on `today`.
    public static func lastCompleteWeek(today: CalendarDate) -> ISOWeek {
        today.isoWeek.adding(weeks: -1)
    }
}
