/// The m/z axis of a ``MirrorPlot``, shared by both sides: a range padded to round values around
/// all peaks, and ticks every 1, 2 or 5 × 10ⁿ so about five to ten fit.
///
/// ```swift
/// let axis = MzAxis(peaks: measured + library, width: 684, origin: 56)
/// axis.ticks // [40, 60, 80, …, 200]; axis.x(105.07) // the peak's x
/// ```
struct MzAxis {
    let low: Double, high: Double
    let ticks: [Double]
    let width: Double, origin: Double

    init(peaks: [MirrorPlot.Peak], width: Double, origin: Double) {
        let mzs = peaks.map(\.mz)
        var low = mzs.min() ?? 0, high = mzs.max() ?? 100
        if high - low < 10 { (low, high) = (low - 5, high + 5) }
        let span = high - low
        let raw = span / 10
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? magnitude * 10
        self.low = max(0, ((low - span * 0.04) / step).rounded(.down) * step)
        self.high = ((high + span * 0.04) / step).rounded(.up) * step
        ticks = stride(from: self.low, through: self.high + step / 1000, by: step).map { $0 }
        self.width = width
        self.origin = origin
    }

    func x(_ mz: Double) -> Double { origin + width * (mz - low) / (high - low) }
}
