/// Ionisation polarity of a mass spectrum.
public enum Polarity: String, Codable, Sendable {
    case positive, negative
}

/// A centroided or profile mass spectrum: parallel m/z and intensity arrays plus its metadata.
public struct Spectrum: Codable, Hashable, Sendable {
    /// Native id (mzML), record accession (MassBank) or name (MSP).
    public var id: String
    public var name: String?
    public var msLevel: Int
    public var retentionTimeSeconds: Double?
    public var precursorMZ: Double?
    public var precursorCharge: Int?
    public var polarity: Polarity?
    public var mz: [Double]
    public var intensity: [Double]
    /// Free metadata (instrument type, collision energy, ionisation, formula, InChIKey…).
    public var metadata: [String: String]

    public init(id: String, name: String? = nil, msLevel: Int = 2, retentionTimeSeconds: Double? = nil,
                precursorMZ: Double? = nil, precursorCharge: Int? = nil, polarity: Polarity? = nil,
                mz: [Double], intensity: [Double], metadata: [String: String] = [:]) {
        precondition(mz.count == intensity.count, "m/z and intensity arrays differ in length")
        self.id = id
        self.name = name
        self.msLevel = msLevel
        self.retentionTimeSeconds = retentionTimeSeconds
        self.precursorMZ = precursorMZ
        self.precursorCharge = precursorCharge
        self.polarity = polarity
        self.mz = mz
        self.intensity = intensity
        self.metadata = metadata
    }

    public var peakCount: Int { mz.count }
}
