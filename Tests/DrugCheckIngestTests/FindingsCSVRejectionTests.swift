import DrugCheckIngest
import DrugCheckModel
import Foundation
import Testing

@Suite("Findings CSV: rejections name line, column and what was expected")
struct FindingsCSVRejectionTests {
    func problems(_ text: String, lab: String? = nil) -> [ImportProblem] {
        do {
            _ = try FindingsCSVReader().parse(data: Data(text.utf8), options: ImportOptions(labCode: lab))
            Issue.record("expected a rejection")
            return []
        } catch {
            return error.problems
        }
    }

    let header = "lab,sample_id,sample_type,collected_on,substance,detected,concentration,unit\n"

    @Test func missingRequiredColumns() {
        let p = problems("lab,sample_id,substance\nX,1,cocaine\n")
        #expect(p.map(\.message).contains("missing required column 'sample_type'"))
        #expect(p.map(\.message).contains("missing required column 'collected_on'"))
        #expect(p.map(\.message).contains("missing required column 'detected'"))
        #expect(p.allSatisfy { $0.line == 1 })
    }

    @Test func labRequiredUnlessGiven() {
        #expect(problems("sample_id,sample_type,collected_on,substance,detected\n1,powder,2026-01-01,x,true\n")
            .contains { $0.message.contains("'lab' (or give the lab with --lab)") })
    }

    @Test func badValuesAreLocated() {
        let p = problems(header + "X,1,crystal,2026-01-01,cocaine,true,,\nX,2,powder,2026-13-01,cocaine,true,,\nX,3,powder,2026-01-01,cocaine,maybe,,\nX,4,powder,2026-01-01,cocaine,true,abc,%w/w\nX,5,powder,2026-01-01,cocaine,true,5,\n")
        #expect(p.contains { $0.line == 2 && $0.column == 5 && $0.message.hasPrefix("sample_type: 'crystal' is not one of vape_refill") })
        #expect(p.contains { $0.line == 3 && $0.column == 12 && $0.message.contains("'2026-13-01' is not a date") })
        #expect(p.contains { $0.line == 4 && $0.message.contains("detected: 'maybe' is not true/false") })
        #expect(p.contains { $0.line == 5 && $0.message.contains("concentration: 'abc' is not a number") })
        #expect(p.contains { $0.line == 6 && $0.message.contains("a concentration needs its unit") })
        #expect(p.count == 5)
    }

    @Test func fieldCountMismatch() {
        #expect(problems(header + "X,1,powder,2026-01-01,cocaine,true\n") == [ImportProblem(line: 2, column: 1, message: "expected 8 fields as in the header, found 6")])
    }

    @Test func unclosedQuote() {
        let p = problems(header + "X,\"1,powder,2026-01-01,cocaine,true,,\n")
        #expect(p.contains { $0.line == 2 && $0.column == 3 && $0.message.contains("not closed") })
    }

    @Test func textAfterClosingQuote() {
        #expect(problems(header + "X,\"1\"a,powder,2026-01-01,cocaine,true,,\n").contains { $0.message.contains("after the closing quote") })
    }

    @Test func aLabsFileHoldsOnlyItsOwnRowsACollationHoldsSeveralLabs() throws {
        let foreign = problems(header + "X,1,powder,2026-01-01,cocaine,true,,\nX,2,powder,2026-01-01,cocaine,true,,\n", lab: "Y")
        #expect(foreign == [ImportProblem(line: 2, column: 1, message: "lab: the file belongs to lab 'X', not 'Y': a lab imports only its own results")])
        let twoLabs = header + "X,1,powder,2026-01-01,cocaine,true,,\nZ,1,powder,2026-01-02,heroin,true,,\n"
        #expect(problems(twoLabs, lab: "X") == [ImportProblem(line: 3, column: 1, message: "lab: the file belongs to lab 'Z', not 'X': a lab imports only its own results")])
        let collation = try FindingsCSVReader().parse(data: Data(twoLabs.utf8), options: ImportOptions())
        #expect(collation.samples.map { "\($0.labCode)/\($0.labSampleID)" } == ["X/1", "Z/1"], "the same sample id in two labs is two samples")
    }

    @Test func rowsOfOneSampleMustAgree() {
        #expect(problems(header + "X,1,powder,2026-01-01,cocaine,true,,\nX,1,tablet,2026-01-01,caffeine,true,,\n")
            .contains { $0.line == 3 && $0.message == "sample '1': sample_type 'tablet' differs from 'powder' on line 2" })
    }

    @Test func emptyAndHeaderOnly() {
        #expect(problems("").first?.message.contains("empty") == true)
        #expect(problems(header).first?.message.contains("no data rows") == true)
    }

    @Test func hugeFieldIsRefused() {
        let long = String(repeating: "a", count: (1 << 20) + 10)
        #expect(problems(header + "X,\(long),powder,2026-01-01,cocaine,true,,\n").contains { $0.message.contains("longer than") })
    }

    @Test func brokenExampleListsEveryProblem() throws {
        let url = PackagePaths.imports.appendingPathComponent("broken-example-findings.csv")
        do {
            _ = try FindingsCSVReader().read(file: url, options: .init())
            Issue.record("the broken example must be rejected")
        } catch let rejection as ImportRejection {
            let lines = Set(rejection.problems.map(\.line))
            #expect(lines.isSuperset(of: [3, 4, 5, 6]), "\(rejection)")
        }
    }
}

extension Error {
    var problems: [ImportProblem] { (self as? ImportRejection)?.problems ?? [] }
}
