import Foundation

/// One AnIML `<Series>` as read: its name, type and the values in one of the three value-set forms.
struct AnIMLSeries {
    var name: String
    var seriesType: String
    var dependent: Bool
    var individual: [Double] = []
    var strings: [String] = []
    /// `AutoIncrementedValueSet`: start value, increment and index range.
    var autoStart: Double?
    var autoIncrement: Double?
    var startIndex: Int?
    var endIndex: Int?
    /// Base64 text of an `EncodedValueSet` (little-endian binary of `seriesType`).
    var encoded: String?
    /// `<Unit label="…">` and its `<SIUnit factor="…">symbol</SIUnit>`, when the series states them.
    var unitLabel: String?
    var siUnit: (symbol: String, factor: Double)?

    /// Seconds per value of a time series: from the SI unit (`s` times its factor) when given, else
    /// from the unit label; `nil` when the series states no unit this reader knows.
    var secondsPerUnit: Double? {
        if let si = siUnit, si.symbol == "s" { return si.factor }
        switch unitLabel?.lowercased() {
        case "s", "sec", "second", "seconds": return 1
        case "ms", "millisecond", "milliseconds": return 0.001
        case "min", "minute", "minutes": return 60
        case "h", "hour", "hours": return 3600
        default: return nil
        }
    }

    /// The numbers, `length` of them for auto-incremented sets.
    func values(length: Int?) throws -> [Double] {
        if let encoded {
            let width: Int, type: BinaryArrayEncoding.DataType
            switch seriesType {
            case "Int32": (width, type) = (4, .int32)
            case "Int64": (width, type) = (8, .int64)
            case "Float32": (width, type) = (4, .float32)
            case "Float64": (width, type) = (8, .float64)
            default: throw AnIMLFailure("series \"\(name)\": encoded values of type \(seriesType) are not supported")
            }
            var bytes: [UInt8] = []
            var text = Array(encoded.utf8)
            do {
                try text.withUnsafeMutableBufferPointer { try Base64Decoder.decode(UnsafeBufferPointer($0), into: &bytes) }
            } catch {
                throw AnIMLFailure("series \"\(name)\": EncodedValueSet is not valid base64")
            }
            guard bytes.count % width == 0 else {
                throw AnIMLFailure("series \"\(name)\": \(bytes.count) encoded bytes are not whole \(seriesType) values")
            }
            return BinaryArrayDecoder.numbers(bytes, type: type)
        }
        if let start = autoStart {
            let first = startIndex ?? 0
            let count: Int
            if let end = endIndex {
                // The indexes are any Int the file writes: endIndex − startIndex must not overflow.
                let (span, overflow) = end.subtractingReportingOverflow(first)
                guard !overflow, span < 10_000_000 else {
                    throw AnIMLFailure("series \"\(name)\": startIndex \(first) to endIndex \(end) is over 10000000 auto-incremented values")
                }
                count = span + 1
            } else {
                count = length ?? 0
            }
            guard count >= 0, count <= 10_000_000 else { throw AnIMLFailure("series \"\(name)\": \(count) auto-incremented values") }
            let step = autoIncrement ?? 0
            return (0..<count).map { start + Double($0) * step }
        }
        return individual
    }
}

struct AnIMLFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
