import DrugCheckModel
import Foundation

/// Imports an mzML 1.1 file as one ``Sample`` with one ``Analysis`` and its spectra; no findings
/// (spectra are classified later).
///
/// Sample identity, first match wins:
/// 1. `--sample` (``ImportOptions/sampleID``);
/// 2. a userParam named `sample id` (also `sample_id`, `drugcheck:sample_id`) on `fileDescription`,
///    `sample` or `run`;
/// 3. the `name` (else `id`) of the `sampleList` entry that `run/@sampleRef` points to;
/// 4. `run/@id`;
/// 5. the first `sourceFile/@name`, without its extension.
///
/// The lab comes from `--lab` or a `lab` userParam (both given: they must agree); the sample type
/// from a `sample type` userParam holding a ``SampleType`` raw value, else `other`. The technique
/// is inferred from the instrument's CV terms (``MzMLTechnique``). Chromatograms (TIC, SIC…) are
/// attached to the analysis like the spectra and listed in the notes.
///
/// ```swift
/// let submission = try MzMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
/// submission.spectra.count
/// ```
public struct MzMLReader: SubmissionReader {
    public var format: ImportFormat { .mzML }

    public init() {}

    public func read(file: URL, options: ImportOptions) throws -> Submission {
        var spectra: [AttachedSpectrum] = []
        var chromatograms: [AttachedChromatogram] = []
        let run = try MzMLStreamParser(file: file, maxBytes: options.maxBytes).parse { record in
            switch record.kind {
            case .spectrum: spectra.append(AttachedSpectrum(sampleIndex: 0, analysisIndex: 0, spectrum: try record.spectrum()))
            case .chromatogram:
                chromatograms.append(AttachedChromatogram(sampleIndex: 0, analysisIndex: 0, chromatogram: try record.chromatogram()))
            }
        }
        let name = file.lastPathComponent
        let labCode = try Self.lab(run: run, options: options, file: name)
        let (sampleID, origin) = try Self.sampleIdentity(run: run, options: options, file: name)
        let type = Self.userParam(run, ["sample type", "sample_type", "drugcheck:sample_type"]).flatMap(SampleType.init(rawValue:)) ?? .other
        let analysis = Analysis(technique: MzMLTechnique.infer(from: run.instrumentAccessions),
                                instrument: run.instrumentName,
                                analysedOn: run.startTimeStamp.flatMap(CalendarDate.init(iso:)))
        var notes = ["\(name): mzML \(run.version ?? "?"): \(run.spectrumCount) spectra, \(run.peakCount) peaks; sample id \"\(sampleID)\" from \(origin)"]
        if !run.hasPSINamespace {
            notes.append("\(name): root element has no PSI-MS namespace; read as mzML 1.1")
        } else if run.version == nil {
            notes.append("\(name): mzML version attribute empty or missing; read as mzML 1.1 from its namespace")
        }
        if !chromatograms.isEmpty {
            let listed = chromatograms.map { "\($0.chromatogram.type ?? "chromatogram") \"\($0.chromatogram.id)\" (\($0.chromatogram.pointCount) points)" }
            notes.append("\(name): \(chromatograms.count) chromatogram(s): " + listed.joined(separator: ", "))
        }
        let sample = Sample(labCode: labCode, labSampleID: sampleID, type: type, analyses: [analysis])
        return Submission(format: .mzML, samples: [sample], spectra: spectra, chromatograms: chromatograms, notes: notes)
    }

    static func userParam(_ run: MzMLRunInfo, _ names: [String]) -> String? {
        for (key, value) in run.userParams where names.contains(key.lowercased()) && !value.isEmpty {
            return value
        }
        return nil
    }

    static func lab(run: MzMLRunInfo, options: ImportOptions, file: String) throws -> String {
        let inFile = userParam(run, ["lab", "lab code", "drugcheck:lab"])
        switch (options.labCode, inFile) {
        case let (given?, found?) where given != found:
            throw ImportRejection("\(file): the file names lab \"\(found)\" but --lab is \"\(given)\"")
        case let (given?, _): return given
        case let (nil, found?): return found
        case (nil, nil):
            throw ImportRejection("\(file): mzML names no lab (no \"lab\" userParam): pass --lab")
        }
    }

    static func sampleIdentity(run: MzMLRunInfo, options: ImportOptions, file: String) throws -> (String, String) {
        if let id = options.sampleID { return (id, "--sample") }
        if let id = userParam(run, ["sample id", "sample_id", "drugcheck:sample_id"]) { return (id, "userParam") }
        if let id = run.sampleName, !id.isEmpty { return (id, "sampleList") }
        if let id = run.runID, !id.isEmpty { return (id, "run id") }
        if let source = run.sourceFiles.first, !source.isEmpty {
            return ((source as NSString).deletingPathExtension, "sourceFile")
        }
        throw ImportRejection("\(file): mzML carries no sample identity (no sample, run id or source file): pass --sample")
    }
}

/// The analytical technique suggested by an mzML instrument configuration (PSI-MS CV terms).
public enum MzMLTechnique {
    /// Electron (MS:1000389) or chemical (MS:1000071) ionisation means a GC inlet;
    /// an Orbitrap (MS:1000484), time-of-flight (MS:1000084) or FT-ICR (MS:1000079) analyser
    /// means high resolution; quadrupoles and ion traps mean tandem MS.
    public static func infer(from accessions: Set<String>) -> Technique {
        if !accessions.isDisjoint(with: ["MS:1000389", "MS:1000071"]) { return .gcms }
        if !accessions.isDisjoint(with: ["MS:1000484", "MS:1000084", "MS:1000079"]) { return .lchrms }
        if !accessions.isDisjoint(with: ["MS:1000081", "MS:1000264", "MS:1000082", "MS:1000083", "MS:1000078"]) { return .lcmsms }
        return .other
    }
}
