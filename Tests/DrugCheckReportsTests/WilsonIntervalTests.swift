import DrugCheckReports
import Foundation
import Testing

@Suite("Wilson score interval")
struct WilsonIntervalTests {
    /// Newcombe RG (1998) Two-sided confidence intervals for the single proportion: comparison
    /// of seven methods. Stat Med 17:857–872, Table II, method 3 (score, no continuity correction),
    /// examples 81/263, 15/148, 0/20, 1/29; published to 4 decimals.
    @Test("Newcombe 1998 examples", arguments: [
        (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718),
    ])
    func newcombe(successes: Int, trials: Int, lower: Double, upper: Double) throws {
        let ci = try #require(WilsonInterval(successes: successes, trials: trials))
        #expect(abs(ci.lower - lower) < 0.00005)
        #expect(abs(ci.upper - upper) < 0.00005)
    }

    /// R 4.2.2 `prop.test(x, n, correct = FALSE)$conf.int`, 17 digits (Fixtures/signals/make_fixtures.R).
    @Test func matchesRPropTest() throws {
        let url = SignalFixture.directory.appendingPathComponent("wilson_prop_test.csv")
        let rows = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(rows.count >= 16)
        for row in rows {
            let f = row.split(separator: ",").map(String.init)
            let ci = try #require(WilsonInterval(successes: Int(f[0])!, trials: Int(f[1])!))
            #expect(abs(ci.lower - Double(f[2])!) <= 1e-9, "\(row)")
            #expect(abs(ci.upper - Double(f[3])!) <= 1e-9, "\(row)")
            #expect(ci.lower <= ci.estimate && ci.estimate <= ci.upper)
        }
    }

    @Test func edgesAreExact() throws {
        #expect(try #require(WilsonInterval(successes: 0, trials: 7)).lower == 0)
        #expect(try #require(WilsonInterval(successes: 7, trials: 7)).upper == 1)
    }

    @Test func impossibleCountsHaveNoInterval() {
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
        #expect(WilsonInterval(successes: 3, trials: 2) == nil)
        #expect(WilsonInterval(successes: -1, trials: 2) == nil)
    }
}
