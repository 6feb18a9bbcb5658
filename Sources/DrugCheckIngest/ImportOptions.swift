import DrugCheckModel
import Foundation

/// Settings for reading one file.
public struct ImportOptions: Sendable {
    /// Lab to attribute the results to when the file does not name one (CSV `--lab`).
    /// When both are given they must agree.
    public var labCode: String?
    /// Sample id for files that carry no sample identity (mzML, AnIML): `--sample`.
    public var sampleID: String?
    /// Largest file accepted, in bytes. Guards against runaway uploads; the user can raise it.
    public var maxBytes: Int64
    /// Mapping profile to read a lab export with (`--profile NAME`); nil chooses one from the
    /// file's structure.
    public var profile: String?
    /// Folders with a deployment's own profiles, searched before the bundled ones.
    public var profileDirectories: [URL]
    /// What the file is expected to hold: results (the default), or a sample registration manifest.
    public var expecting: Expectation
    /// Who imports (a token's name, `cli:USER`), recorded with the batch: a second person verifies.
    public var importedBy: String?

    /// What an import is expected to hold.
    public enum Expectation: Sendable {
        /// Findings, spectra or other results (every entry point but registration).
        case results
        /// Samples without findings, registered before their results arrive.
        case sampleManifest
    }

    public static let defaultMaxBytes: Int64 = 2 << 30

    public init(labCode: String? = nil, sampleID: String? = nil, maxBytes: Int64 = ImportOptions.defaultMaxBytes,
                profile: String? = nil, profileDirectories: [URL] = [], expecting: Expectation = .results, importedBy: String? = nil) {
        self.labCode = labCode
        self.sampleID = sampleID
        self.maxBytes = maxBytes
        self.profile = profile
        self.profileDirectories = profileDirectories
        self.expecting = expecting
        self.importedBy = importedBy
    }
}

/// A file that cannot be imported, with every problem found and where.
public struct ImportRejection: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]

    public init(_ problems: [ImportProblem]) {
        self.problems = problems
    }

    public init(line: Int = 0, column: Int = 0, _ message: String) {
        self.problems = [ImportProblem(line: line, column: column, message: message)]
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
