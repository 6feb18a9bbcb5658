import DrugCheckModel
import Foundation

/// Reads an instrument, LIMS or dataset export through a mapping profile (format `lab-export`):
/// chooses the profile (`--profile` or the file's fingerprint), extracts samples and findings, and
/// builds the submission. Instrument exports give results for registered samples only.
///
/// ```swift
/// let submission = try LabExportReader().read(file: url, options: ImportOptions(labCode: "BE-NICC"))
/// let preview = try LabExportReader.inspect(file: url, options: ImportOptions())  // imports nothing
/// ```
public struct LabExportReader: SubmissionReader {
    public var format: ImportFormat { .labExport }

    public init() {}

    public func read(file: URL, options: ImportOptions) throws -> Submission {
        let (profile, extraction) = try Self.extract(file: file, options: options)
        guard let lab = options.labCode ?? profile.defaults?.lab else {
            throw ImportRejection(line: 1, column: 1,
                                  "\(file.lastPathComponent) (\(profile.vendor)) does not name the lab it comes from: give the lab code with --lab CODE")
        }
        return ProfileSubmission(profile: profile, lab: lab).submission(from: extraction)
    }

    /// What the file would give, without building a submission: the profile, why it was chosen,
    /// the samples and the findings as written.
    public static func inspect(file: URL, options: ImportOptions) throws -> ProfileExtraction {
        try extract(file: file, options: options).1
    }

    static func extract(file: URL, options: ImportOptions) throws -> (ImportProfile, ProfileExtraction) {
        let document = try ProfileDocument(file: file)
        let library = try ProfileLibrary(directories: options.profileDirectories)
        let (match, reason) = try ProfileChooser(library: library).choose(for: document, named: options.profile)
        let profile = match.profile
        if let refusal = profile.refuse {
            throw ImportRejection(line: 1, column: 1, "\(file.lastPathComponent) is a \(profile.vendor) export and is not imported: \(refusal)")
        }
        var extraction = try ProfileExtractor(profile: profile, options: options).extract(match.document, reason: reason)
        extraction.notes.insert("read as \(profile.vendor) (profile \(profile.name), \(document.encoding), separator \(match.document.separator == "\t" ? "tab" : "'\(match.document.separator)'")): \(reason)", at: 0)
        return (profile, extraction)
    }
}
