import DrugCheckModel

/// One `<spectrum>` or `<chromatogram>` of an mzML file, fully decoded.
public struct MzMLRecord: Sendable {
    public enum Kind: Sendable { case spectrum, chromatogram }

    public var kind: Kind
    /// The native id (`id` attribute).
    public var id: String
    public var index: Int?
    /// MS:1000511; `nil` for chromatograms.
    public var msLevel: Int?
    /// MS:1000016 scan start time, converted to seconds.
    public var retentionTimeSeconds: Double?
    /// MS:1000744 selected ion m/z of the first precursor.
    public var precursorMZ: Double?
    /// MS:1000041 charge state of the first precursor.
    public var precursorCharge: Int?
    public var polarity: Polarity?
    /// For chromatograms, the CV name of the chromatogram type (e.g. "total ion current chromatogram").
    public var typeName: String?
    public var arrays: [MzMLArray]

    /// The array of the given type accession.
    public func array(_ accession: String) -> MzMLArray? { arrays.first { $0.accession == accession } }

    /// m/z (MS:1000514) for spectra, time (MS:1000595, in seconds) for chromatograms.
    public var xValues: [Double] { array(kind == .spectrum ? "MS:1000514" : "MS:1000595")?.values ?? [] }
    /// Intensity (MS:1000515).
    public var intensities: [Double] { array("MS:1000515")?.values ?? [] }

    /// The record as a model ``Spectrum``; throws when m/z and intensity lengths differ.
    public func spectrum() throws -> Spectrum {
        let mz = xValues, intensity = intensities
        guard mz.count == intensity.count else {
            throw ImportRejection("spectrum \(id): \(mz.count) m/z values but \(intensity.count) intensities")
        }
        var metadata: [String: String] = [:]
        if let index { metadata["index"] = String(index) }
        return Spectrum(id: id, msLevel: msLevel ?? 1, retentionTimeSeconds: retentionTimeSeconds,
                        precursorMZ: precursorMZ, precursorCharge: precursorCharge, polarity: polarity,
                        mz: mz, intensity: intensity, metadata: metadata)
    }
}

extension MzMLRecord {
    /// The record as a model ``Chromatogram`` (times in seconds); throws when time and intensity
    /// lengths differ.
    public func chromatogram() throws -> Chromatogram {
        let times = xValues, intensity = intensities
        guard times.count == intensity.count else {
            throw ImportRejection("chromatogram \(id): \(times.count) times but \(intensity.count) intensities")
        }
        return Chromatogram(id: id, type: typeName, timesSeconds: times, intensity: intensity)
    }
}

/// What an mzML file says about its run, read before and around the spectra.
public struct MzMLRunInfo: Sendable {
    /// `mzML/@version`; nil when the attribute is missing or empty.
    public var version: String?
    public var hasPSINamespace = true
    public var runID: String?
    /// `run/@startTimeStamp` (xs:dateTime).
    public var startTimeStamp: String?
    /// `run/@sampleRef`, resolved to the sample's name (or id) from `sampleList`.
    public var sampleName: String?
    /// `sourceFile/@name` values in file order.
    public var sourceFiles: [String] = []
    /// userParams of `fileDescription`, `sample` and `run`, by name.
    public var userParams: [String: String] = [:]
    /// Accessions of every cvParam under `instrumentConfiguration` (with referenced groups).
    public var instrumentAccessions: Set<String> = []
    /// The instrument model name, when a cvParam names one.
    public var instrumentName: String?
    public var spectrumCount = 0
    public var chromatogramCount = 0
    public var peakCount = 0
    public var maxMSLevel = 0
}
