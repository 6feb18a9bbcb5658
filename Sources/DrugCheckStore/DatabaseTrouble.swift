import Foundation
import GRDB

/// Something wrong with the database file itself, said in plain words with the file and what to
/// do. Whatever went wrong, the transaction rolled back: nothing was half-written.
///
/// ```swift
/// catch let error as DatabaseError {
///     if let trouble = DatabaseTrouble(error, path: db.path) { print(trouble) }  // "the disk holding … is full: …"
/// }
/// ```
public struct DatabaseTrouble: Error, CustomStringConvertible, Sendable {
    public enum Kind: String, Sendable {
        case full, readOnly = "read_only", damaged, missing
        /// A schema step could not be applied: the file holds something DrugCheck did not make.
        case schemaConflict = "schema_conflict"
    }

    public var kind: Kind
    public var path: String
    /// For ``Kind/schemaConflict``: the step and what SQLite said of it.
    public var detail: String?

    public init(_ kind: Kind, path: String, detail: String? = nil) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// The trouble behind an SQLite error, when it is the file's and not the statement's.
    public init?(_ error: DatabaseError, path: String) {
        switch error.resultCode {
        case .SQLITE_FULL: self.init(.full, path: path)
        case .SQLITE_READONLY: self.init(.readOnly, path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self.init(.damaged, path: path)
        case .SQLITE_CANTOPEN: self.init(FileManager.default.fileExists(atPath: path) ? .readOnly : .missing, path: path)
        default: return nil
        }
    }

    /// The trouble behind any error, when it is an SQLite error about the file (or already one).
    public static func of(_ error: any Error, path: String) -> DatabaseTrouble? {
        if let trouble = error as? DatabaseTrouble { return trouble }
        return (error as? DatabaseError).flatMap { DatabaseTrouble($0, path: path) }
    }

    public var description: String {
        switch kind {
        case .full:
            "the disk holding the database \(path) is full (or the database reached its size limit): nothing was written; free space and try again"
        case .readOnly:
            "the database \(path) cannot be written (read-only file, folder or file system): nothing was written; make it writable or use another --db"
        case .damaged:
            "the database \(path) is damaged or not a DrugCheck database: nothing was written; restore a backup with `drugcheck restore FILE --db \(path)`"
        case .missing:
            "the database file \(path) was deleted or moved while DrugCheck was running: nothing was written; restore a backup or restart to start a new database"
        case .schemaConflict:
            "the database \(path) could not be brought up to date (\(detail ?? "a schema step failed")): it holds tables or indexes that "
                + "DrugCheck did not make; that step changed nothing; remove what was added by hand, or restore a backup with "
                + "`drugcheck restore FILE --db \(path)`"
        }
    }
}

extension DrugCheckDatabase {
    /// Runs `work` against the database file, turning file trouble into ``DatabaseTrouble``; a
    /// database file deleted or replaced since it was opened is refused before anything is written.
    func guardingFile<T>(_ work: () throws -> T) throws -> T {
        guard identity == Self.fileIdentity(path) else { throw DatabaseTrouble(.missing, path: path) }
        do {
            return try work()
        } catch let error as DatabaseError {
            throw DatabaseTrouble(error, path: path) ?? error
        }
    }

    /// Device and inode of the file at `path`, nil when there is none.
    static func fileIdentity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    struct FileIdentity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
    }
}
