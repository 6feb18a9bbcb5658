import DrugCheckModel
import Foundation

/// Imports AnIML (ASTM E13.15, core schema draft 0.90, namespace
/// `urn:org:astm:animl:schema:core:draft:0.90`).
///
/// - each `<Sample>` of the `SampleSet` becomes a ``Sample`` (id from `sampleID`; with a single
///   sample `--sample` overrides it). Its `Parameter`s and `Tag`s named `lab`, `sample type`,
///   `source`, `sold as`, `collected on` and `region` fill those fields; every other one is kept
///   in ``Sample/attributes`` as `Category/Parameter`;
/// - each `<ExperimentStep>` becomes an ``Analysis`` of the sample its `SampleReference` names
///   (technique from a `technique` parameter holding a ``Technique`` value, else `other`;
///   instrument from `Device/Name`; date from `Infrastructure/Timestamp`);
/// - a `SeriesSet` with an m/z series and an intensity series becomes a mass spectrum; one with a
///   time series and an intensity series becomes a ``Chromatogram`` of that step's analysis (time
///   unit from the series' `SIUnit` or `Unit` label; none stated is read as minutes, with a note);
///   every other result, and the audit trail and signatures, are listed in the notes as not understood.
///
/// ```swift
/// let submission = try AnIMLReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
/// print(submission.notes)
/// ```
public struct AnIMLReader: SubmissionReader {
    public static let namespace = "urn:org:astm:animl:schema:core:draft:0.90"

    public var format: ImportFormat { .animl }

    public init() {}

    public func read(file: URL, options: ImportOptions) throws -> Submission {
        let reader = try XMLStreamReader(file: file, maxBytes: options.maxBytes)
        var state = AnIMLParseState(reader: reader)
        while let kind = try reader.next() {
            do {
                switch kind {
                case .startElement:
                    try state.start()
                    if reader.isEmptyElement { try state.end() }
                case .endElement: try state.end()
                case .text: state.text()
                case .other: break
                }
            } catch let failure as AnIMLFailure {
                throw reader.rejection(failure.message)
            }
        }
        guard state.sawRoot else { throw ImportRejection("\(file.lastPathComponent): empty file, no AnIML document") }
        return try state.submission(file: file.lastPathComponent, options: options)
    }
}
