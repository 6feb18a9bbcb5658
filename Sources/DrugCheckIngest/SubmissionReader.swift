import DrugCheckModel
import Foundation

/// A parser for one file format, producing a ``Submission`` or an ``ImportRejection``.
///
/// Readers take a file path so that large files can be streamed rather than loaded whole.
public protocol SubmissionReader: Sendable {
    var format: ImportFormat { get }
    func read(file: URL, options: ImportOptions) throws -> Submission
}
