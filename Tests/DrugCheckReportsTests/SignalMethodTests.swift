import DrugCheckReports
import Foundation
import Testing

/// EARS C1/C2/C3 and CUSUM against R `surveillance` 1.20.3 on 25 series (Fixtures/signals).
@Suite("Signals match R surveillance")
struct SignalMethodTests {
    @Test func fixturesArePresent() {
        #expect(SignalFixture.names.count >= 20, "Fixtures/signals/expected has too few series; rerun make_fixtures.R")
    }

    @Test("EARS and CUSUM upper bounds and alarms", arguments: SignalFixture.names)
    func matchesR(name: String) throws {
        let fixture = try SignalFixture.load(name)
        let runs: [(String, [SignalPoint])] = [
            ("ears_c1", EARS.c1(fixture.observed)),
            ("ears_c2", EARS.c2(fixture.observed)),
            ("ears_c3", EARS.c3(fixture.observed)),
            ("ears_c3_alpha0.001", EARS.c3(fixture.observed, zAlpha: EARS.z999)),
            ("cusum", CUSUM.evaluate(fixture.observed)),
        ]
        for (method, points) in runs {
            let expected = try #require(fixture.methods[method], "\(name): no \(method) in fixture")
            expectMatchesR(points.map(\.upperbound), expected.upperbound, "\(name) \(method) upperbound")
            #expect(points.map(\.alarm) == expected.alarm, "\(name) \(method) alarms")
            #expect(points.map(\.observed) == fixture.observed)
        }
        let cusum = try #require(fixture.methods["cusum"]?.cusum)
        expectMatchesR(CUSUM.statistic(fixture.observed), cusum, "\(name) cusum statistic")
    }

    @Test("SignalMethod dispatches with the package defaults")
    func methodDefaults() throws {
        let fixture = try SignalFixture.load("poisson_outbreak")
        let keys: [SignalMethod: String] = [.earsC1: "ears_c1", .earsC2: "ears_c2", .earsC3: "ears_c3", .cusum: "cusum"]
        for (method, key) in keys {
            let points = method.evaluate(fixture.observed)
            #expect(points.map(\.alarm) == fixture.methods[key]!.alarm, "\(method)")
            let firstBound = try #require(points.firstIndex { $0.upperbound != nil })
            #expect(firstBound + 1 == method.firstMonitoredWeek, "\(method)")
        }
    }

    @Test("the outbreak weeks of the synthetic outbreak series alarm")
    func outbreakIsDetected() throws {
        let fixture = try SignalFixture.load("poisson_outbreak")
        // make_fixtures.R adds 6, 10, 14, 9 cases to weeks 30–33.
        #expect(EARS.c1(fixture.observed)[29...32].contains { $0.alarm == true })
        #expect(CUSUM.evaluate(fixture.observed)[29...32].contains { $0.alarm == true })
    }

    @Test("too short histories have no bound, as in R")
    func shortHistories() {
        let five: [Double] = [1, 4, 2, 0, 3]
        for method in SignalMethod.allCases {
            #expect(method.evaluate(five).allSatisfy { $0.upperbound == nil && $0.alarm == nil })
        }
        #expect(SignalMethod.earsC1.evaluate([]).isEmpty)
    }
}
