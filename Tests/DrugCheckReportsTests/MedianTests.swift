@testable import DrugCheckReports
import DrugCheckStore
import Foundation
import Testing

/// The histogram median (used for median concentrations from the maintained aggregates) equals
/// R's `median` of the values written out.
@Suite("Median")
struct MedianTests {
    @Test func knownValues() {
        #expect(Median.of([3.1, 0.4, 12]) == 3.1)
        #expect(Median.of([1, 2, 3, 4]) == 2.5)
        #expect(Median.of(counts: [2: 1, 1: 2, 4: 1]) == 1.5)
        #expect(Median.of(counts: [7.5: 3]) == 7.5)
        #expect(Median.of(counts: [1: 1, 9: 1]) == 5)
        #expect(Median.of(counts: [:]) == nil)
        #expect(Median.of(counts: [1: 0, 2: -1]) == nil)
    }

    @Test func histogramEqualsWrittenOutValues() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<500 {
            var counts: [Double: Int] = [:]
            for _ in 0..<(1 + Int(rng.next() % 12)) {
                counts[(rng.uniform() * 40).rounded() / 4, default: 0] += 1 + Int(rng.next() % 5)
            }
            let values = counts.flatMap { value, count in Array(repeating: value, count: count) }
            #expect(Median.of(counts: counts) == Median.of(values), "\(counts)")
            // The same values split into sorted runs that repeat a value (one run per stratum).
            let runs = counts.sorted { $0.key < $1.key }.flatMap { value, count in
                count == 1 ? [(value, 1)] : [(value, count / 2), (value, count - count / 2)]
            }
            #expect(Median.of(sortedCounts: runs) == Median.of(values), "\(runs)")
        }
    }
}

/// The report's fast fixed-point formatting gives exactly Foundation's `%.Nf` bytes.
@Suite("Report number formatting")
struct DecimalFormattingTests {
    @Test func matchesFoundationFormat() {
        var rng = SplitMix64(seed: 11)
        var values: [Double] = [0, -0.0, 0.125, 0.375, 2.5, 0.045, 1e-9, -3.14159, 99.995, 1234567.891, 0.5, 1.005]
        for _ in 0..<2_000 { values.append((rng.uniform() - 0.3) * pow(10, Double(Int(rng.next() % 9)) - 3)) }
        for value in values {
            for digits in 0...4 {
                #expect(WeeklyReportText.decimal(value, digits)
                        == String(format: "%.\(digits)f", locale: Locale(identifier: "en_US_POSIX"), value), "\(value) \(digits)")
            }
        }
    }
}
