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
        let sorted = counts.filter { !$0.key.isNaN && $0.value > 0 }.sorted { $0.key < $1.key }
        let total = sorted.reduce(0) { $0 + $1.value }
        guard total > 0 else { return nil }
        /// The value at 0-based position `index` of the sorted values.
        func value(at index: Int) -> Double {
            var seen = 0
            for (value, count) in sorted {
                seen += count
                if index < seen { return value }
            }
            return sorted[sorted.count - 1].key
        }
        let mid = total / 2
        return total % 2 == 1 ? value(at: mid) : (value(at: mid - 1) + value(at: mid)) / 2
    }
}
