import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

/// Results waiting for verification appear apart, as provisional, in every report format; they
/// move into tested and positive once verified.
@Suite("Provisional figures in the weekly report")
struct ProvisionalFiguresTests {
    @Test func provisionalResultsAreShownApartInEveryFormatAndCountOnceVerified() throws {
        let db = try ReportTestDatabase()
        var pipeline = ImportPipeline.standard(database: db.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        let file = ReportTestDatabase.root.appendingPathComponent("Imports/be-dca-drugchecking.csv")
        #expect(try pipeline.importFile(at: file, options: .init(importedBy: "analyst")).outcome == .imported)
        let week = "2026-W37"
        let before = try db.report(week)
        let total = try #require(before.cells.first { $0.reportClass == .anySyntheticOpioid && $0.stratum == "all" })
        #expect(total.tested == 0 && total.positive == 0 && total.prevalence == nil)
        #expect(total.provisionalTested > 0)
        #expect(before.notes.contains { $0.contains("awaiting verification") })
        // Per-substance figures are of verified results too: none yet.
        #expect(before.cells.allSatisfy { $0.highestPotencySubstance == nil && $0.medianConcentration == nil })

        let json = try WeeklyReportRenderer.render(before, as: .json)
        #expect(json.contains("\"provisional_tested\" : \(total.provisionalTested)"))
        let csv = WeeklyReportRenderer.csv(before)
        #expect(csv.split(whereSeparator: \.isNewline)[0].hasSuffix("provisional_tested,provisional_positive"))
        for format in [ReportFormat.table, .md, .html] {
            #expect(try WeeklyReportRenderer.render(before, as: format).contains("\(total.provisionalPositive)/\(total.provisionalTested) PROVISIONAL"),
                    "\(format)")
        }

        let step = ResultVerification(database: db.database, classifier: SampleClassifier(catalogue: .bundled))
        _ = try step.decide(try step.pending(lab: nil), .verify, by: "an.peeters")
        let after = try #require(try db.report(week).cells.first { $0.reportClass == .anySyntheticOpioid && $0.stratum == "all" })
        #expect(after.tested == total.provisionalTested && after.positive == total.provisionalPositive && after.provisionalTested == 0)
        #expect(after.highestPotencySubstance != nil, "verified: the week's substances count")
    }
}
