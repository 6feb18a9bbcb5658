import Foundation

/// Streams an mzML 1.1 file (plain or wrapped in `indexedmzML`) spectrum by spectrum, in constant
/// memory: each `<spectrum>`/`<chromatogram>` is decoded, handed to the caller, then dropped.
///
/// The XML is read by a libxml2 SAX2 push parser (``XMLPushParser``) on the calling thread while
/// other threads read ahead and decode the binary arrays (``MzMLDecodePipeline``); records still
/// reach `each` in document order, on the calling thread. The `xmlTextReader` this replaced took half of the
/// time in the `drugcheck bench mzml` profile (see BENCHMARKS.md).
///
/// The `indexList` is never read: offsets in real files are often stale, so records are taken in
/// document order. Run metadata (instrument, sample, source files, userParams) is collected on the way.
///
/// ```swift
/// let parser = MzMLStreamParser(file: url)
/// let run = try parser.parse { record in
///     if record.kind == .spectrum { print(record.id, record.xValues.count) }
/// }
/// print(run.spectrumCount)
/// ```
public struct MzMLStreamParser: Sendable {
    public static let namespace = "http://psi.hupo.org/ms/mzml"

    public var file: URL
    public var maxBytes: Int64
    /// Whether `<binary>` text bypasses libxml2 (``XMLTextLifter``); off only to test that it changes nothing.
    var liftsBinaryText = true
    var chunkBytes = XMLPushParser.defaultChunkBytes
    var decodeWorkers = MzMLDecodePipeline.defaultWorkers

    public init(file: URL, maxBytes: Int64 = ImportOptions.defaultMaxBytes) {
        self.file = file
        self.maxBytes = maxBytes
    }

    /// Reads the whole file, calling `each` for every spectrum and chromatogram in document order.
    /// An error (XML, limits, or an array that does not decode) is thrown after every earlier
    /// record has been delivered.
    @discardableResult
    public func parse(_ each: (MzMLRecord) throws -> Void) throws -> MzMLRunInfo {
        let parser = try XMLPushParser(file: file, maxBytes: maxBytes, liftsText: liftsBinaryText, chunkBytes: chunkBytes)
        let pipeline = MzMLDecodePipeline(file: file.lastPathComponent, workers: decodeWorkers)
        defer { pipeline.close() }
        return try withoutActuallyEscaping(each) { each in
            let state = MzMLParseState(parser: parser, pipeline: pipeline, each: each)
            let bytes: Int64
            do {
                bytes = try parser.parse(state)
            } catch {
                // Records before the error still go out, and an earlier decoding error wins.
                try state.finish()
                throw error
            }
            try state.finish()
            guard bytes > 0, state.sawRoot else {
                throw ImportRejection("\(file.lastPathComponent): empty file, no mzML document")
            }
            return state.run
        }
    }
}
