import DrugCheckModel
import Foundation

/// Keeps rejected files, byte for byte, with their error report beside them, so a lab can fix
/// and re-import them.
struct Quarantine {
    let directory: URL

    init(directory: URL) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Copies the file as `<sha-prefix>-<name>` and writes `<that>.errors.txt`; returns the copy's URL.
    func keep(_ file: URL, name: String, sha: String, problems: [ImportProblem]) throws -> URL {
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        let target = directory.appendingPathComponent("\(sha.prefix(16))-\(safeName)")
        if !FileManager.default.fileExists(atPath: target.path) {
            try FileManager.default.copyItem(at: file, to: target)
        }
        let report = problems.map { "\(name):\($0.line):\($0.column): \($0.message)" }.joined(separator: "\n") + "\n"
        try Data(report.utf8).write(to: target.appendingPathExtension("errors.txt"), options: .atomic)
        return target
    }
}
