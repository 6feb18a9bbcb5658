import DrugCheckImport
import Foundation

/// Shows a long import's progress on standard error: a bar redrawn in place on a terminal, once
/// the file has taken more than 2 seconds (rows, MB/s, time left); a plain line every 10 seconds
/// when standard error is a log file or a pipe.
enum ProgressDisplay {
    static func standardError() -> ImportProgress {
        let terminal = isatty(STDERR_FILENO) == 1
        let lastLine = LastLine()
        return ImportProgress(interval: terminal ? 0.2 : 10) { s in
            if terminal {
                guard s.elapsed >= 2 || lastLine.drawn else { return }
                lastLine.drawn = !s.finished
                let width = 30
                let done = Int(s.fraction * Double(width))
                let bar = String(repeating: "#", count: done) + String(repeating: "-", count: width - done)
                let left = s.secondsLeft.map { String(format: "%.0f s left", $0) } ?? ""
                let line = String(format: "\r%@ [%@] %3.0f%%  %d rows  %.1f MB/s  %@\u{1B}[K", s.file, bar, s.fraction * 100,
                                  s.rows, s.megabytesPerSecond, s.finished ? "done" : left)
                FileHandle.standardError.write(Data((line + (s.finished ? "\n" : "")).utf8))
            } else if !s.finished, s.elapsed >= 10 {
                let line = String(format: "%@: %.0f%% read, %d rows, %.1f MB/s\n", s.file, s.fraction * 100, s.rows, s.megabytesPerSecond)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }

    /// Whether a bar is on screen (so the final state is drawn even for a file that ended fast).
    private final class LastLine: @unchecked Sendable {
        var drawn = false
    }
}
