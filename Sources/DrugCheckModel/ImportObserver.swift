
/// Told after a file was committed, so that a later stage (the bulletin trigger scan) can react.
///
/// The import pipeline knows no later stage: the shells (CLI, server, drop folder) give it the
/// observers (the protocol lives in the model so that a later stage can offer one). An observer that fails never undoes or hides the import: its failure is reported
/// beside the import's own result, the same way on every entry point.
///
/// ```swift
/// struct Announce: ImportObserver {
///     let name = "announce"
///     func filesImported(_ results: [ImportResult]) throws -> String? { "\(results.count) file(s)" }
/// }
/// ```
public protocol ImportObserver: Sendable {
    /// Short name used in reports of the observer's outcome ("bulletin triggers").
    var name: String { get }
    /// Called once after one or more files were imported (outcome `imported`); returns a one-line
    /// summary for the user, or nil when there is nothing to say.
    func filesImported(_ results: [ImportResult]) throws -> String?
}
