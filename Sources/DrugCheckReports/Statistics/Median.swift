/// The median of a sample, averaging the two middle values for an even count (R's `median`).
///
/// ```swift
/// Median.of([3.1, 0.4, 12]) // 3.1
/// Median.of([1, 2, 3, 4])   // 2.5
/// ```
public enum Median {
    public static func of(_ values: [Double]) -> Double? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The median of values given with their multiplicities (a histogram), equal to `of` on the
    /// values repeated; counts below 1 are ignored.
    ///
    /// ```swift
    /// Median.of(counts: [2: 1, 1: 2, 4: 1]) // 1.5, as Median.of([1, 1, 2, 4])
    /// ```
    public static func of(counts: [Double: Int]) -> Double? {
        of(sortedCounts: counts.filter { !$0.key.isNaN }.sorted { $0.key < $1.key }.lazy.map { ($0.key, $0.value) })
    }

    /// The same from values in ascending order with their multiplicities; a value may repeat.
    public static func of<Counts: Collection>(sortedCounts: Counts) -> Double? where Counts.Element == (Double, Int) {
        let counted = sortedCounts.lazy.filter { $0.1 > 0 }
        let total = counted.reduce(0) { $0 + $1.1 }
        guard total > 0 else { return nil }
        /// The value at 0-based position `index` of the sorted values.
        func value(at index: Int) -> Double {
            var seen = 0
            var last = 0.0
            for (value, count) in counted {
                seen += count
                if index < seen { return value }
                last = value
            }
            return last
        }
        let mid = total / 2
        return total % 2 == 1 ? value(at: mid) : (value(at: mid - 1) + value(at: mid)) / 2
    }
}
