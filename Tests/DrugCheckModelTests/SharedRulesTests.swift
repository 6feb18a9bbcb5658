import DrugCheckModel
import Foundation
import Testing

/// The rules every stage reads from the model: potency, class membership and today's date.
@Suite("Shared rules")
struct SharedRulesTests {
    static func substance(_ id: String, _ cls: SubstanceClass, potency: Double? = nil) -> Substance {
        Substance(id: id, name: id, formula: "C1", substanceClass: cls, relativePotency: potency, potencySource: potency.map { _ in "test" },
                  source: "test")
    }

    @Test func potencyRanksPublishedFiguresThenOpioidsAsMorphine() {
        let carfentanil = Self.substance("carfentanil", .fentanylAnalogue, potency: 10_000)
        let fentanyl = Self.substance("fentanyl", .fentanylAnalogue, potency: 100)
        let heroin = Self.substance("heroin", .classicOpioid)
        let cocaine = Self.substance("cocaine", .stimulant)
        #expect(heroin.potencyRank == 1, "an opioid without a published potency counts as morphine")
        #expect(cocaine.potencyRank == nil, "a non-opioid without one is not ranked")
        #expect([cocaine, heroin, fentanyl, carfentanil].sorted(by: Potency.morePotent).map(\.id) == ["carfentanil", "fentanyl", "heroin", "cocaine"])
        #expect(Potency.mostPotent([cocaine, heroin]) == heroin)
        #expect(Potency.mostPotent([cocaine]) == nil)
        let twin = Self.substance("acetylfentanyl", .fentanylAnalogue, potency: 100)
        #expect(Potency.mostPotent([fentanyl, twin])?.id == "acetylfentanyl", "ties go to the first id")
    }

    @Test func highPotencyIsNitazenesCarfentanilAndTheMultiple() {
        #expect(Self.substance("carfentanil", .fentanylAnalogue, potency: 10_000).isHighPotency())
        #expect(Self.substance("protonitazene", .nitazene).isHighPotency(), "nitazenes without a published potency too")
        #expect(!Self.substance("fentanyl", .fentanylAnalogue, potency: 100).isHighPotency())
        #expect(Self.substance("fentanyl", .fentanylAnalogue, potency: 100).isHighPotency(morphineMultiple: 50))
        #expect(!Self.substance("other", .stimulant, potency: 5000).isHighPotency(), "only opioids")
        #expect(Potency.highMorphineMultiple == 1000)
    }

    @Test func reportClassMembership() {
        #expect(ReportClass.classes(of: .nitazene) == [.anySyntheticOpioid, .nitazene])
        #expect(ReportClass.classes(of: .classicOpioid) == [.classicOpioid], "medicinal opioids are not synthetic opioids")
        #expect(ReportClass.classes(of: .stimulant).isEmpty)
        for reportClass in ReportClass.allCases {
            for substanceClass in SubstanceClass.allCases {
                #expect(reportClass.contains(substanceClass) == ReportClass.classes(of: substanceClass).contains(reportClass))
            }
        }
        let positive = ReportClass.positive(for: [Self.substance("fentanyl", .fentanylAnalogue), Self.substance("xylazine", .xylazineMedetomidine)])
        #expect(positive == [.anySyntheticOpioid, .fentanylAnalogue, .xylazineMedetomidine])
    }

    @Test func todayIsTheUTCDate() {
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: 0)).description == "1970-01-01")
        // 2026-11-22T23:59:59Z is still the 22nd in UTC whatever the machine's zone; a second later it is Monday.
        let sunday = Date(timeIntervalSince1970: 1_795_391_999)
        #expect(CalendarDate.today(now: sunday).description == "2026-11-22")
        #expect(CalendarDate.today(now: sunday.addingTimeInterval(1)).description == "2026-11-23")
        #expect(CalendarDate.today(now: Date(timeIntervalSince1970: -1)).description == "1969-12-31")
    }
}
