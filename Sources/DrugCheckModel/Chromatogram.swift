/// A chromatogram: intensity over retention time, e.g. the total ion current (TIC) of a GC-MS or
/// LC-MS run, or a selected ion / reaction monitoring trace.
///
/// ```swift
/// let tic = Chromatogram(id: "TIC", type: "total ion current chromatogram",
///                        timesSeconds: [0, 1.5, 3], intensity: [120, 4500, 80])
/// tic.pointCount // 3
/// ```
public struct Chromatogram: Codable, Hashable, Sendable {
    /// Native id (mzML `chromatogram/@id`).
    public var id: String
    /// The kind of trace as its file names it (PSI-MS CV name, e.g. "total ion current chromatogram").
    public var type: String?
    /// Retention times in seconds, ascending as recorded.
    public var timesSeconds: [Double]
    public var intensity: [Double]

    public init(id: String, type: String? = nil, timesSeconds: [Double], intensity: [Double]) {
        precondition(timesSeconds.count == intensity.count, "time and intensity arrays differ in length")
        self.id = id
        self.type = type
        self.timesSeconds = timesSeconds
        self.intensity = intensity
    }

    public var pointCount: Int { timesSeconds.count }
}

/// A chromatogram that belongs to one analysis of one sample of a submission.
public struct AttachedChromatogram: Sendable {
    public var sampleIndex: Int
    public var analysisIndex: Int
    public var chromatogram: Chromatogram

    public init(sampleIndex: Int, analysisIndex: Int, chromatogram: Chromatogram) {
        self.sampleIndex = sampleIndex
        self.analysisIndex = analysisIndex
        self.chromatogram = chromatogram
    }
}
