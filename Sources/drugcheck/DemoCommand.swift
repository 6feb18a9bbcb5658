import ArgumentParser
import DrugCheckBulletins
import DrugCheckReports
import DrugCheckIngest
import DrugCheckStore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import the example files in Imports/, print the weekly report of the latest week with data and the first early-warning bulletin.",
        discussion: "Uses the default database (./drugcheck.sqlite unless --db or $DRUGCHECK_DB says otherwise)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Folder of example files.")
    var imports = "Imports"

    func run() throws {
        let db = try database.open()
        print("== Importing \(imports)/ into \(database.path)")
        let importer = FileImporter(database: db)
        var rejected = 0
        for file in try FileCollector.collect([imports]) {
            let result = try importer.importFile(at: file, displayName: file.relativePath, options: ImportOptions())
            if result.outcome == .rejected { rejected += 1 }
            print(ImportSummary.text(result))
        }
        guard let week = try db.latestWeek() else {
            print("No samples stored.")
            return
        }
        print("\n== Weekly report")
        print(try WeeklyReportRenderer.render(try WeeklyReportBuilder(database: db).report(for: week), as: .table), terminator: "")
        print("\n== Synthetic-opioid positive samples, week \(week)")
        let positives = try SampleQuery(week: week, reportClass: .anySyntheticOpioid).fetch(in: db)
        print(SamplesCommand().table(positives), terminator: "")

        let scan = try BulletinScanner(database: db).scan(actor: "demo")
        print("\n== Early-warning bulletins: \(scan.created.count) new draft(s), \(scan.updated.count) updated (review with 'drugcheck bulletins list')")
        let store = BulletinStore(database: db)
        if let id = (scan.created + scan.updated).min(), let bulletin = try store.bulletin(id: id) {
            let document = try BulletinDocument.current(bulletin, messages: try store.messages(bulletinID: id), languages: [.en])
            print(ReadableWriters.markdown(document), terminator: "")
        }
        if rejected > 0 { throw ExitCode(1) }
    }
}
