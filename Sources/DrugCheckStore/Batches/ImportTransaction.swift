import DrugCheckModel
import Foundation

/// One import batch's write transaction, whatever the backend: ``BatchWriter`` on SQLite,
/// ``StatementBatchWriter`` elsewhere (PostgreSQL). Both keep their books in a ``BatchLedger``,
/// so a sample given again, a corrected re-export and an amendment are merged the same way.
public protocol ImportTransaction: SampleTransaction {
    var batchID: Int64 { get }
    /// Distinct samples the batch wrote.
    var sampleCount: Int { get }
    /// Findings the batch added.
    var findingCount: Int { get }
    /// Samples whose earlier results this batch superseded, as `LAB/ID`.
    var amendedSamples: Set<String> { get }
    /// Stores a sample with its analyses and findings (``BatchWriter/write(_:line:classification:)``).
    @discardableResult
    func write(_ sample: Sample, line: Int?, classification: SampleClassification?) throws -> WrittenSample
    /// Stores a spectrum with the analysis it was measured in; returns its row id.
    @discardableResult
    func attach(_ s: Spectrum, analysisID: Int64) throws -> Int64
    /// Stores a chromatogram with the analysis it was recorded in.
    func attach(_ c: Chromatogram, analysisID: Int64) throws
    /// The sample a lab registered (or imported) under its own id, with everything stored for it.
    func registeredSample(labCode: String, labSampleID: String) throws -> Sample?
    /// Completes the batch and records its audit entry; returns the batch id. Call it last.
    func finish(notes: [String]) throws -> Int64
}

extension ImportTransaction {
    @discardableResult
    public func write(_ sample: Sample, classification: SampleClassification?) throws -> WrittenSample {
        try write(sample, line: nil, classification: classification)
    }
}

/// Where an import stores its batches: the SQLite store, or any backend's statements
/// (``StatementImportStore``).
///
/// ```swift
/// let store: any ImportStore = database                      // or StatementImportStore(writer: session, …)
/// let id = try store.importBatch(receipt, waitLimit: 120) { batch in
///     try batch.write(sample, line: 2, classification: classification)
///     return try batch.finish(notes: [])
/// }
/// ```
public protocol ImportStore: Sendable {
    /// The imported batch with these bytes, when there is one.
    func importedBatch(sha256: String) throws -> (id: Int64, batch: ImportBatch)?
    /// Writes one import batch in one transaction, committed when `body` returns; `body` may run
    /// again from the start when the database was busy.
    func importBatch<T>(_ receipt: BatchReceipt, waitLimit: TimeInterval, _ body: (any ImportTransaction) throws -> T) throws -> T
    /// Records a rejected file with its problems and where its bytes are kept; returns the batch id.
    func recordRejection(_ receipt: BatchReceipt, labCode: String?, problems: [ImportProblem], keptAt: String?,
                         waitLimit: TimeInterval) throws -> Int64
    /// Where rejected files are kept with their error reports.
    var quarantineDirectory: URL { get }
    /// The store's spectral libraries, added to the bundled one when spectra are identified.
    var spectralLibraries: SpectralLibraryStore { get }
}

extension DrugCheckDatabase: ImportStore {
    public func importBatch<T>(_ receipt: BatchReceipt, waitLimit: TimeInterval, _ body: (any ImportTransaction) throws -> T) throws -> T {
        try importBatch(receipt, waitLimit: waitLimit) { (batch: BatchWriter) in try body(batch) }
    }

    public var spectralLibraries: SpectralLibraryStore { SpectralLibraryStore(database: self) }
}
