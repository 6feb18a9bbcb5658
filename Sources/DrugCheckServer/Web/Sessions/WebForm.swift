import Foundation
import Hummingbird

/// A page's submitted form: text fields, and uploaded files spooled to temporary files (removed
/// when the request ends). Read once, by ``CSRFMiddleware``, before the handler runs.
///
/// ```swift
/// let reason = context.form?["reason"] ?? ""
/// for file in context.form?.files(named: "files") ?? [] { … file.url … }
/// ```
struct WebForm: Sendable {
    struct File: Sendable {
        var field: String
        var fileName: String
        var url: URL
    }

    var fields: [String: [String]] = [:]
    var files: [File] = []

    subscript(name: String) -> String? { fields[name]?.first }

    func files(named field: String) -> [File] { files.filter { $0.field == field } }

    /// Reads a `application/x-www-form-urlencoded` or `multipart/form-data` body (other bodies: no fields).
    static func read(_ request: Request, fieldLimit: Int, fileLimit: Int) async throws -> WebForm {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("multipart/form-data") {
            let body = try await BodyLimit.spool(request.body, limit: fileLimit)
            defer { try? FileManager.default.removeItem(at: body) }
            var form = WebForm()
            for part in try MultipartFile.parts(from: body, contentType: request.headers[.contentType] ?? "") {
                if let url = part.url {
                    // A file input left empty still sends a part with an empty file name.
                    guard let name = part.fileName, !name.isEmpty else { try? FileManager.default.removeItem(at: url); continue }
                    form.files.append(File(field: part.name ?? "", fileName: name, url: url))
                } else if let name = part.name {
                    form.fields[name, default: []].append(part.text ?? "")
                }
            }
            return form
        }
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else { return WebForm() }
        let buffer = try await request.body.collect(upTo: fieldLimit)
        var form = WebForm()
        for pair in String(buffer: buffer).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            form.fields[kv[0], default: []].append(kv.count > 1 ? kv[1] : "")
        }
        return form
    }

    func removeFiles() {
        for file in files { try? FileManager.default.removeItem(at: file.url) }
    }
}
