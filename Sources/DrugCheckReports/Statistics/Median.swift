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
}
