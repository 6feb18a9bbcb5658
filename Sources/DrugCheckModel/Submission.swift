/// What a parser makes of one file: samples with their analyses and findings, before storage.
///
/// Every importer (CSV, results XML, mzML, AnIML) produces this, so the store has one way in.
public struct Submission: Sendable {
    public var format: ImportFormat
    public var samples: [Sample]
    /// Spectra keyed by the index of the sample and analysis they belong to.
    public var spectra: [AttachedSpectrum]
    /// Chromatograms (TIC and other traces) keyed the same way.
    public var chromatograms: [AttachedChromatogram]
    /// Notes for the import summary (encoding detected, unknown elements skipped…).
    public var notes: [String]
    /// The file gives results only (an instrument export): each sample's own fields (type, source,
    /// sold-as, collection date, region) come from its registration, and every sample id must be
    /// registered for the lab before the file imports. Only `labCode`, `labSampleID` and the
    /// analyses of such a file's samples are used.
    public var resultsForRegisteredSamples: Bool

    public init(format: ImportFormat, samples: [Sample], spectra: [AttachedSpectrum] = [],
                chromatograms: [AttachedChromatogram] = [], notes: [String] = [], resultsForRegisteredSamples: Bool = false) {
        self.format = format
        self.samples = samples
        self.spectra = spectra
        self.chromatograms = chromatograms
        self.notes = notes
        self.resultsForRegisteredSamples = resultsForRegisteredSamples
    }

    public var findingCount: Int { samples.reduce(0) { $0 + $1.findings.count } }
}

/// A spectrum that belongs to one analysis of one sample of a submission.
public struct AttachedSpectrum: Sendable {
    public var sampleIndex: Int
    public var analysisIndex: Int
    public var spectrum: Spectrum

    public init(sampleIndex: Int, analysisIndex: Int, spectrum: Spectrum) {
        self.sampleIndex = sampleIndex
        self.analysisIndex = analysisIndex
        self.spectrum = spectrum
    }
}
