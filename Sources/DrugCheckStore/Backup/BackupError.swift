/// Why a backup or a restore did not happen, in one line naming the file.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    case exists(path: String)
    case noBackup(path: String)
    case noManifest(backup: String, manifest: String)
    case unreadableManifest(backup: String, manifest: String)
    case notADatabase(path: String)
    case damaged(path: String, problems: Int)
    case changedSinceBackup(path: String)
    case auditBroken(path: String, problem: String)
    case headMismatch(path: String, manifest: String, backup: String)
    case newerSchema(path: String, migration: String)
    case targetExists(path: String)
    case targetInUse(path: String)
    case copyDiffers(path: String, tables: [String])

    public var description: String {
        switch self {
        case let .exists(path): "\(path) already exists: choose another name or pass --force to replace it"
        case let .noBackup(path): "no backup at \(path)"
        case let .noManifest(backup, manifest): "\(backup): its manifest \(manifest) is missing, so the backup cannot be checked"
        case let .unreadableManifest(backup, manifest): "\(backup): its manifest \(manifest) is not a DrugCheck backup manifest"
        case let .notADatabase(path): "\(path) is damaged: it is not an SQLite database (its header is unreadable)"
        case let .damaged(path, problems): "\(path) is damaged: the SQLite integrity check found \(problems) problem\(problems == 1 ? "" : "s")"
        case let .changedSinceBackup(path): "\(path) is damaged: its bytes differ from the SHA-256 in its manifest"
        case let .auditBroken(path, problem): "\(path) fails the audit check: \(problem)"
        case let .headMismatch(path, manifest, backup): "\(path) does not match its manifest: audit head \(backup), manifest says \(manifest)"
        case let .newerSchema(path, migration): "\(path) was made by a newer DrugCheck (schema step '\(migration)' is unknown here)"
        case let .targetExists(path): "\(path) exists: pass --force to replace it with the backup"
        case let .targetInUse(path): "\(path) is open in another process (the server, an import, a watch): stop it before restoring"
        case let .copyDiffers(path, tables):
            "\(path) was not written: its rows differ from the database's in \(tables.joined(separator: ", ")); nothing was kept, try again"
        }
    }
}
