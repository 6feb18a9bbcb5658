import Crypto
import DrugCheckClassify
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation

/// The one way results enter DrugCheck, for every entry point (`drugcheck import`, `demo`,
/// `POST /v1/imports`, the drop folder): detect the format from the content → read (a findings
/// CSV streamed a sample at a time) → resolve names against the catalogue → classify → store the
/// spectra that came with the file and identify them (library search and class rules, exactly as
/// `drugcheck identify`) → write the batch in one transaction → tell the observers.
///
/// A rejected file changes no sample or finding; it is recorded with its error report and its
/// bytes are kept in the store's quarantine folder (beside a SQLite database).
///
/// The pipeline stores into any ``ImportStore``: the SQLite database, or PostgreSQL through
/// ``StatementImportStore``.
///
/// ```swift
/// let pipeline = ImportPipeline(database: db, classifier: classifier, identifier: { identifier }, observers: [bulletinScan])
/// let result = try pipeline.importFile(at: url, options: ImportOptions(labCode: "BE-DC01"))
/// let reports = pipeline.notify([result]) // the observers, once after a set of files
/// ```
public struct ImportPipeline: Sendable {
    public let store: any ImportStore
    public let classifier: SampleClassifier
    /// Made when a file brings spectra: loading the libraries costs time other files need not spend.
    public let identifier: @Sendable () throws -> SpectrumIdentifier
    public let observers: [any ImportObserver]
    /// How long to wait for other writers before giving up on a file.
    public var waitLimit: TimeInterval = 120
    /// Region texts to NUTS codes at the deployment's reporting level.
    public var regions = RegionResolution()
    /// Whether results wait for a second person, and the labs' automatic rules.
    public var verification = VerificationPolicy.notRequired

    public init(store: any ImportStore, classifier: SampleClassifier,
                identifier: @escaping @Sendable () throws -> SpectrumIdentifier, observers: [any ImportObserver] = []) {
        self.store = store
        self.classifier = classifier
        self.identifier = identifier
        self.observers = observers
    }

    /// The pipeline on the SQLite store.
    public init(database: DrugCheckDatabase, classifier: SampleClassifier,
                identifier: @escaping @Sendable () throws -> SpectrumIdentifier, observers: [any ImportObserver] = []) {
        self.init(store: database, classifier: classifier, identifier: identifier, observers: observers)
    }

    /// Tells every observer about the imported files; a failure is reported, never thrown.
    public func notify(_ results: [ImportResult]) -> [ObserverReport] {
        let imported = results.filter { $0.outcome == .imported }
        guard !imported.isEmpty else { return [] }
        return observers.map { observer in
            do { return ObserverReport(observer: observer.name, summary: try observer.filesImported(imported), failure: nil) } catch {
                return ObserverReport(observer: observer.name, summary: nil, failure: "\(error)")
            }
        }
    }

    /// Imports one file whole or not at all; `amending` makes its results the next version of
    /// stored ones (``Amendment``).
    public func importFile(at url: URL, displayName: String? = nil, options: ImportOptions,
                           progress: ImportProgress? = nil, amending: Amendment? = nil) throws -> ImportResult {
        let name = displayName ?? url.lastPathComponent
        let fingerprint = try FileFingerprint(url)
        let detected = FormatDetector.detect(head: fingerprint.head)
        let format = options.expecting == .sampleManifest && [.findingsCSV, .labExport].contains(detected) ? .sampleManifest : detected
        var receipt = BatchReceipt(fileName: name, sha256: fingerprint.sha256, format: format, importedBy: options.importedBy,
                                   amendmentReason: amending?.reason)
        guard fingerprint.size <= options.maxBytes else {
            receipt.sha256 = "size-limit-\(UUID().uuidString)"
            return try reject(url, receipt, options: options, problems: [ImportProblem(line: 0, column: 0, message:
                "file is \(fingerprint.size) bytes, over the limit of \(options.maxBytes) bytes (raise it with --max-bytes)")])
        }
        // The same bytes count as already imported only for their own lab: another lab's upload
        // of them goes on to be parsed and rejected for naming a different lab.
        if let (id, previous) = try store.importedBatch(sha256: fingerprint.sha256),
           options.labCode == nil || previous.labCode?.caseInsensitiveCompare(options.labCode!) == .orderedSame {
            return ImportResult(file: name, outcome: .alreadyImported, format: previous.format, samples: previous.sampleCount,
                                findings: previous.findingCount, errors: [], unmatched: [],
                                notes: ["same bytes as batch \(id) imported on \(previous.receivedAt)"], batchID: id)
        }
        do {
            if options.expecting == .sampleManifest, format != .sampleManifest {
                throw ImportRejection(line: 1, column: 1, "a registration manifest is a CSV of sample columns (\(Self.manifestColumns)), not \(format.rawValue)")
            }
            let stored = format == .findingsCSV || format == .sampleManifest
                ? try storeCSV(url, receipt, head: fingerprint.head, options: options, amending: amending,
                               progress: progress.map { ImportProgress.Tracker($0, file: name, total: fingerprint.size) })
                : try storeSubmission(url, receipt, options: options, amending: amending)
            var result = ImportResult(file: name, outcome: .imported, format: format, samples: stored.samples, findings: stored.findings,
                                      errors: [], unmatched: stored.unmatched.names.sorted(), unmatchedRegions: stored.unmatched.regions.sorted(),
                                      notes: stored.notes, batchID: stored.batchID)
            if !stored.amended.isEmpty { result.amendedSamples = stored.amended }
            return result
        } catch let rejection as ImportRejection {
            // Readers name the file by its path; an upload's path is a temporary file's, so say the name the lab knows.
            let problems = rejection.problems.map { problem in
                var named = problem
                named.message = problem.message.replacingOccurrences(of: url.path, with: name).replacingOccurrences(of: url.lastPathComponent, with: name)
                return named
            }
            return try reject(url, receipt, options: options, problems: problems)
        } catch is SameBytesImported {
            return try importFile(at: url, displayName: displayName, options: options, progress: progress, amending: amending)
        }
    }

    /// What a stored batch holds.
    struct StoredBatch {
        var batchID: Int64
        var samples: Int
        var findings: Int
        var unmatched: Unmatched
        var notes: [String]
        /// Samples whose earlier results the batch superseded (`LAB/ID`).
        var amended: [String] = []
    }

    /// Names the catalogue and region texts the region table do not know: stored as written.
    struct Unmatched {
        var names = Set<String>()
        var regions = Set<String>()

        var notes: [String] {
            (names.isEmpty ? [] : ["not in the catalogue, stored as reported: \(names.sorted().joined(separator: ", "))"])
                + (regions.isEmpty ? [] : ["regions not recognised, stored as written: \(regions.sorted().joined(separator: ", "))"])
        }
    }

    /// The resolve step: substance names against the catalogue, the region text to its NUTS code,
    /// and each result's verification on import (``VerificationPolicy``).
    func resolve(_ sample: Sample, _ unmatched: inout Unmatched) -> Sample {
        let resolved = verification.applied(to: regions.resolve(classifier.resolveNames(in: sample)))
        unmatched.names.formUnion(classifier.unmatchedNames(in: resolved))
        if let region = regions.unmatched(in: resolved) { unmatched.regions.insert(region) }
        return resolved
    }

    /// Every sample of a file must belong to the caller's lab when one is given.
    private func checkLab(_ samples: [Sample], options: ImportOptions) throws {
        guard let given = options.labCode else { return }
        if let other = samples.first(where: { $0.labCode.caseInsensitiveCompare(given) != .orderedSame }) {
            throw ImportRejection("the file belongs to lab '\(other.labCode)', not '\(given)': a lab imports only its own results")
        }
    }

    /// Formats read whole (XML, mzML, AnIML): their spectra are stored and identified with the samples.
    private func storeSubmission(_ url: URL, _ receipt: BatchReceipt, options: ImportOptions, amending: Amendment?) throws -> StoredBatch {
        guard let reader = ReaderRegistry.reader(for: receipt.format) else {
            throw ImportRejection(line: 1, column: 1, "unrecognised content: expected a findings CSV, DrugCheck results XML, mzML or AnIML file")
        }
        let submission = try reader.read(file: url, options: options)
        try checkLab(submission.samples, options: options)
        var unmatched = Unmatched()
        var samples = submission.samples.map { resolve($0, &unmatched) }
        let spectra = submission.spectra.isEmpty ? nil : StoredSpectraClassifier(identifier: try identifier(), classifier: classifier)
        return try store.importBatch(receipt, waitLimit: waitLimit) { batch in
            if submission.resultsForRegisteredSamples { samples = try Registration.complete(samples, in: batch) }
            if let amending { for sample in samples { try amending.check(sample, line: 0, in: batch) } }
            let written = try samples.map { try batch.write($0, classification: classifier.classification(of: $0)) }
            for attached in submission.spectra {
                let analyses = written[attached.sampleIndex].analysisIDs
                guard attached.analysisIndex < analyses.count else { continue }
                _ = try batch.attach(attached.spectrum, analysisID: analyses[attached.analysisIndex])
            }
            for attached in submission.chromatograms {
                let analyses = written[attached.sampleIndex].analysisIDs
                guard attached.analysisIndex < analyses.count else { continue }
                try batch.attach(attached.chromatogram, analysisID: analyses[attached.analysisIndex])
            }
            for w in written where w.merged { try batch.reclassify(w.id, with: classifier.classification(of:)) }
            var notes = submission.notes + unmatched.notes
            if let spectra {
                var identified = 0
                for sampleID in Set(submission.spectra.map { written[$0.sampleIndex].id }).sorted() {
                    identified += try spectra.classify(sampleID: sampleID, in: batch).spectra.count
                }
                notes.append("\(identified) spectra identified with \(spectra.libraryVersion), rules \(spectra.rulesVersion)")
            }
            // The lab's findings and those the identification of the spectra added.
            let id = try batch.finish(notes: notes)
            return StoredBatch(batchID: id, samples: samples.count, findings: batch.findingCount, unmatched: unmatched, notes: notes,
                               amended: batch.amendedSamples.sorted())
        }
    }

    static let manifestColumns = "lab, sample_id, sample_type, source, sold_as, collected_on, region, …; see Schemas/findings-csv.md"

    private func reject(_ url: URL, _ receipt: BatchReceipt, options: ImportOptions, problems: [ImportProblem]) throws -> ImportResult {
        let kept = try Quarantine(directory: store.quarantineDirectory).keep(url, name: receipt.fileName, sha: receipt.sha256, problems: problems)
        let batchID = try store.recordRejection(receipt, labCode: options.labCode, problems: problems, keptAt: kept.path, waitLimit: waitLimit)
        return ImportResult(file: receipt.fileName, outcome: .rejected, format: receipt.format, samples: 0, findings: 0, errors: problems,
                            unmatched: [], notes: ["kept in quarantine: \(kept.path)"], batchID: batchID)
    }
}

/// One observer's outcome after an import: its summary line, or why it failed. The import
/// stands either way.
public struct ObserverReport: Codable, Sendable {
    public var observer: String
    public var summary: String?
    public var failure: String?
}

/// The SHA-256, size and first bytes of a file, in one read.
struct FileFingerprint {
    let sha256: String
    let size: Int64
    let head: Data

    init(_ url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        var head = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if head.isEmpty { head = chunk.prefix(FormatDetector.sniffLength) }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        sha256 = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        self.size = size
        self.head = head
    }
}

extension ImportPipeline {
    /// The pipeline every entry point uses: the bundled catalogue, and for spectra the bundled
    /// library with every library stored in the database.
    public static func standard(store: any ImportStore, observers: [any ImportObserver]) -> ImportPipeline {
        ImportPipeline(store: store, classifier: SampleClassifier(catalogue: .bundled), identifier: {
            try ReferenceData.load().identifier(adding: store.spectralLibraries)
        }, observers: observers)
    }

    /// ``standard(store:observers:)`` on the SQLite store.
    public static func standard(database: DrugCheckDatabase, observers: [any ImportObserver]) -> ImportPipeline {
        standard(store: database, observers: observers)
    }
}
