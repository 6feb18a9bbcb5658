import Foundation

/// Whether another process has a WAL database open, read from SQLite's locks: every open
/// connection holds a shared POSIX lock on the "DMS" byte of the WAL index (byte 128 of
/// `DATABASE-shm`, `UNIX_SHM_DMS` in SQLite's `os_unix.c`). POSIX locks of the asking process
/// itself are not reported.
///
/// ```swift
/// if try SQLiteFileLock.isHeldElsewhere(database: "drugcheck.sqlite") { print("in use") }
/// ```
enum SQLiteFileLock {
    static let dmsByte: off_t = 128

    static func isHeldElsewhere(database path: String) throws -> Bool {
        let shm = path + "-shm"
        let fd = open(shm, O_RDWR)
        guard fd >= 0 else { return false }   // no WAL index: no connection has it open
        defer { close(fd) }
        var query = flock()
        query.l_type = Int16(F_WRLCK)
        query.l_whence = Int16(SEEK_SET)
        query.l_start = dmsByte
        query.l_len = 1
        guard fcntl(fd, F_GETLK, &query) == 0 else { return false }
        return query.l_type != Int16(F_UNLCK)
    }
}
