import DrugCheckImport
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import GRDB
import Testing

/// A database in a fresh temporary folder, removed when released, with the example exports
/// from `Imports/` (or any text) imported through the real importer.
final class ReportTestDatabase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = ["be-dca-drugchecking.csv", "be-nicc-seizures.csv", "nl-dims-export.tsv", "be-lge-export-cp1252.csv"]

    let directory: URL
    let database: DrugCheckDatabase

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dc-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try DrugCheckDatabase(path: directory.appendingPathComponent("r.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Imports the example exports; fails the test when one is not imported.
    @discardableResult
    static func withExamples() throws -> ReportTestDatabase {
        let db = try ReportTestDatabase()
        for name in examples {
            let result = try ImportPipeline.standard(database: db.database, observers: []).importFile(at: root.appendingPathComponent("Imports/\(name)"), options: .init())
            #expect(result.outcome == .imported, "\(name): \(result.errors)")
        }
        return db
    }

    func importText(_ text: String, name: String) throws {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        let result = try ImportPipeline.standard(database: database, observers: []).importFile(at: url, options: .init())
        #expect(result.outcome == .imported, "\(name): \(result.errors)")
    }

    /// `now` decides whether the week has ended and stamps the report's first edition.
    func report(_ week: String, trendWeeks: Int = 12, region: String? = nil, now: Date = Date()) throws -> WeeklyReport {
        try WeeklyReportBuilder(database: database).report(for: ISOWeek(week)!, trendWeeks: trendWeeks, region: region, now: now)
    }

    /// The maintained aggregate, and the same numbers counted directly from samples and
    /// classifications: they must always be equal.
    func aggregateAndRecount() throws -> (aggregate: [Row], recount: [Row]) {
        let classes = ReportClass.allCases.map(\.rawValue)
        let columns = ["tested", "analysed_basis"] + classes.map { "pos_\($0)" } + classes.map { "unexp_\($0)" }
        let recount = ["COUNT(*)", "SUM(s.week_basis = 'analysed')"] + classes.map { "SUM(c.\($0))" }
            + classes.map { "SUM(c.unexpected AND c.\($0))" }
        return try database.writer.read { db in
            let aggregate = try Row.fetchAll(db, sql: """
                SELECT iso_week, sample_type, source, region, lab_code, \(columns.joined(separator: ", "))
                FROM report_week_stratum WHERE tested <> 0 ORDER BY 1, 2, 3, 4, 5
                """)
            let direct = try Row.fetchAll(db, sql: """
                SELECT s.iso_week, s.sample_type, s.source, COALESCE(s.region, ''), s.lab_code, \(recount.joined(separator: ", "))
                FROM sample s JOIN sample_classification c ON c.sample_id = s.id WHERE s.iso_week IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
                """)
            return (aggregate, direct)
        }
    }
}
