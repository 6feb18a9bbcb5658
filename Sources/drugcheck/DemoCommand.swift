import ArgumentParser
import DrugCheckBulletins
import DrugCheckReports
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import the example files in Imports/, print the weekly report of the latest week with data and the first early-warning bulletin.",
        discussion: "Uses the default database (./drugcheck.sqlite unless --db or $DRUGCHECK_DB says otherwise; a postgres:// location works too)."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Folder of example files.")
    var imports = "Imports"

    func run() throws {
        let backend = try database.importBackend()
        print("== Importing \(imports)/ into \(database.path)")
        let pipeline = try deployment.pipeline(on: backend, bulletinConfig: nil)

        var results: [ImportResult] = []
        for file in try FileCollector.collect([imports]) {
            let result = try pipeline.importFile(at: file, displayName: file.relativePath, options: ImportOptions(importedBy: DeploymentOptions.cliActor))
            results.append(result)
            print(ImportSummary.text(result))
        }
        let rejected = results.filter { $0.outcome == .rejected }.count
        ImportSummary.print(pipeline.notify(results))
        guard let week = try SampleTimeline(reader: backend.writer).latestWeek() else {
            print("No samples stored.")
            return
        }
        print("\n== Weekly report")
        print(try WeeklyReportRenderer.render(try WeeklyReportBuilder(source: backend.reports).report(for: week), as: .table), terminator: "")
        print("\n== Synthetic-opioid positive samples, week \(week)")
        let positives = try SampleQuery(week: week, reportClass: .anySyntheticOpioid).fetch(from: backend.writer)
        print(SamplesListCommand().table(positives), terminator: "")

        // The import's observer already ran the triggers; the demo shows the drafts they wrote.
        let store = BulletinStore(reader: backend.writer)
        let drafts = try store.bulletins(state: .draft)
        print("\n== Early-warning bulletins: \(drafts.count) draft(s) awaiting review (review with 'drugcheck bulletins list')")
        if let bulletin = drafts.min(by: { $0.id < $1.id }) {
            let document = try BulletinDocument.current(bulletin, messages: try store.messages(bulletinID: bulletin.id), languages: [.en])
            print(ReadableWriters.markdown(document), terminator: "")
        }
        if rejected > 0 { throw ExitCode(1) }
    }
}
