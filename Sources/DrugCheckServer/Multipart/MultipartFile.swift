import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578). The body is read memory-mapped from the
/// spooled upload, so a large upload is never copied into memory; each file part is written to a
/// temporary file of its own (the caller removes them), each other part is kept as text.
///
/// ```swift
/// let form = try MultipartFile.parts(from: spooled, contentType: "multipart/form-data; boundary=XyZ")
/// let upload = try MultipartFile.extract(from: spooled, contentType: contentType)   // the API's one file
/// ```
enum MultipartFile {
    struct Part {
        var name: String?
        var fileName: String?
        /// The content, for file parts (and for `extract`'s chosen part).
        var url: URL?
        /// The content as text, for parts without a file name (at most 64 KiB).
        var text: String?
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(status: .badRequest, title: "Invalid multipart body", detail: detail)
    }

    /// The part named `file`, else the first part that carries a file name (`POST /v1/imports`).
    static func extract(from body: URL, contentType: String) throws -> (url: URL, fileName: String?) {
        let all = try parts(from: body, contentType: contentType, keepAll: true)
        guard let chosen = all.first(where: { $0.name == "file" }) ?? all.first(where: { $0.fileName != nil }),
              let url = chosen.url else {
            remove(all)
            throw invalid("expected a part named 'file' or a part with a filename")
        }
        remove(all.filter { $0.url != url })
        return (url, chosen.fileName)
    }

    /// Every part; `keepAll` also writes parts without a file name to files.
    static func parts(from body: URL, contentType: String, keepAll: Bool = false) throws -> [Part] {
        guard let boundary = boundary(in: contentType) else { throw invalid("the Content-Type has no boundary parameter") }
        let data = try Data(contentsOf: body, options: .alwaysMapped)
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        var parts: [Part] = []
        guard var cursor = data.range(of: delimiter)?.upperBound else { throw invalid("no part starts with the boundary") }
        do {
            while cursor + 2 <= data.count, data[cursor] != UInt8(ascii: "-") {
                guard let headerEnd = data.range(of: separator, in: cursor..<data.count) else { throw invalid("a part has no end of headers") }
                guard let next = data.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<data.count) else {
                    throw invalid("a part is not closed by the boundary")
                }
                let headers = String(decoding: data[cursor..<headerEnd.lowerBound], as: UTF8.self)
                let disposition = headers.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("content-disposition:") }
                var part = Part(name: disposition.flatMap { parameter("name", in: String($0)) },
                                fileName: disposition.flatMap { parameter("filename", in: String($0)) })
                let content = data[headerEnd.upperBound..<next.lowerBound]
                if part.fileName != nil || keepAll {
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-part-\(UUID().uuidString)")
                    try content.write(to: url)
                    part.url = url
                } else {
                    guard content.count <= 64 * 1024 else { throw invalid("the form field '\(part.name ?? "")' is longer than 64 KiB") }
                    part.text = String(decoding: content, as: UTF8.self)
                }
                parts.append(part)
                cursor = next.upperBound
            }
        } catch {
            remove(parts)
            throw error
        }
        return parts
    }

    static func remove(_ parts: [Part]) {
        for url in parts.compactMap(\.url) { try? FileManager.default.removeItem(at: url) }
    }

    static func boundary(in contentType: String) -> String? {
        parameter("boundary", in: contentType).flatMap { $0.isEmpty || $0.count > 200 ? nil : $0 }
    }

    /// The value of `name=value` or `name="value"` in a header's parameters.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }
}
