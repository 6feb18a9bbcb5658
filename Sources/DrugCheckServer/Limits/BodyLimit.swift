import Foundation
import Hummingbird

/// Reads request bodies without ever holding more than the limit: small bodies into memory,
/// uploads into a temporary file. Going over the limit is a 413 problem.
///
/// ```swift
/// let file = try await BodyLimit.spool(request.body, limit: 200 << 20)
/// defer { try? FileManager.default.removeItem(at: file) }
/// ```
enum BodyLimit {
    static func tooLarge(_ limit: Int) -> Problem {
        Problem(status: .contentTooLarge, title: "Body too large", detail: "the body is over the limit of \(limit) bytes")
    }

    static func collect(_ body: RequestBody, limit: Int) async throws -> ByteBuffer {
        var collected = ByteBuffer()
        for try await chunk in body {
            guard collected.readableBytes + chunk.readableBytes <= limit else { throw tooLarge(limit) }
            var chunk = chunk
            collected.writeBuffer(&chunk)
        }
        return collected
    }

    /// Writes the body to a new file in the temporary folder and returns it; the caller removes it.
    static func spool(_ body: RequestBody, limit: Int) async throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-upload-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            var written = 0
            for try await chunk in body {
                written += chunk.readableBytes
                guard written <= limit else { throw tooLarge(limit) }
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            return url
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }
}
