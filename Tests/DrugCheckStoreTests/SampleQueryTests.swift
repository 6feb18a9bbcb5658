import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import DrugCheckTestSupport
import Foundation
import GRDB
import Testing

/// The sample list's filters (`/samples`, `GET /v1/samples`, `drugcheck samples`) are shaped so a
/// page stops after its matches (migration `sample-filters`); whatever the shape, a page must hold
/// exactly what filtering every stored sample says, in id order, and pages must join up.
@Suite struct SampleQueryTests {
    /// Every example export of `Imports/`, some results verified and one rejected, so that each
    /// status, class, week and lab filter matches some samples and not others.
    static func populated() throws -> TestDatabase {
        let t = try TestDatabase()
        var pipeline = ImportPipeline.standard(database: t.database, observers: [])
        pipeline.verification = VerificationPolicy(required: true, rules: [])
        for name in try FileManager.default.contentsOfDirectory(atPath: PackagePaths.imports.path).sorted() where !name.hasPrefix("broken") {
            _ = try pipeline.importFile(at: PackagePaths.imports.appendingPathComponent(name), options: .init(importedBy: "analyst"))
        }
        let step = ResultVerification(database: t.database, classifier: SampleClassifier(catalogue: .bundled))
        let pending = try step.pending(lab: nil)
        _ = try step.decide(pending.enumerated().filter { $0.offset % 3 == 0 }.map(\.element), .verify, by: "an.peeters")
        _ = try step.decide([pending[1]], .reject(reason: "vial broken"), by: "an.peeters")
        return t
    }

    static func key(_ s: StoredSample) -> String { "\(s.sample.labCode)/\(s.sample.labSampleID)" }

    static func matches(_ s: StoredSample, _ q: SampleQuery) -> Bool {
        (q.week == nil || s.week == q.week) && (q.labCode == nil || s.sample.labCode == q.labCode)
            && (q.sampleType == nil || s.sample.type == q.sampleType)
            && (q.status == nil || s.sample.analyses.contains { $0.status == q.status })
            && (q.reportClass == nil || s.classification?.positiveClasses.contains(q.reportClass!) == true)
    }

    @Test func everyFilterPagesThroughExactlyItsSamples() throws {
        let t = try Self.populated()
        let all = try SampleQuery().fetch(in: t.database)
        #expect(all.count > 50)
        let weeks = Array(Set(all.compactMap(\.week))).sorted { $0.description < $1.description }
        let labs = Array(Set(all.map(\.sample.labCode))).sorted()
        var checked = 0
        for status in [nil] + ResultStatus.allCases.map(Optional.some) {
            for reportClass in [nil, ReportClass.anySyntheticOpioid, .classicOpioid] {
                for week in [nil, weeks.first, weeks.last] {
                    for lab in [nil, labs.first] {
                        var query = SampleQuery(week: week, reportClass: reportClass, labCode: lab)
                        query.status = status
                        let expected = all.filter { Self.matches($0, query) }.map(Self.key)
                        query.limit = 4
                        var got: [String] = []
                        while true {
                            let page = try query.fetchWithIDs(in: t.database)
                            got += page.map { Self.key($0.sample) }
                            guard page.count == 4, let last = page.last else { break }
                            query.afterID = last.id
                        }
                        #expect(got == expected, "status \(status?.rawValue ?? "any") class \(reportClass?.rawValue ?? "any") week \(week?.description ?? "any") lab \(lab ?? "any")")
                        checked += expected.isEmpty ? 0 : 1
                    }
                }
            }
        }
        #expect(checked > 20, "the filters matched something in most combinations")
    }

    @Test func pagesAreFoundThroughTheirIndexes() throws {
        let t = try TestDatabase()
        let plans = try t.database.writer.read { db -> [String: String] in
            var plans: [String: String] = [:]
            for (name, sql) in [
                ("lab and week", "SELECT * FROM sample WHERE lab_code = 'L' AND iso_week = '2026-W40' ORDER BY id LIMIT 101"),
                ("status", "SELECT sample.* FROM analysis a CROSS JOIN sample ON sample.id = a.sample_id WHERE a.status = 'verified' AND a.superseded_by IS NULL AND sample.lab_code = 'L' GROUP BY a.sample_id ORDER BY a.sample_id LIMIT 101"),
            ] {
                plans[name] = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "\n")
            }
            return plans
        }
        #expect(plans["lab and week"]?.contains("sample_lab_week") == true, "\(plans)")
        #expect(plans["status"]?.contains("analysis_status_sample") == true && plans["status"]?.contains("TEMP B-TREE") == false, "\(plans)")
    }
}
