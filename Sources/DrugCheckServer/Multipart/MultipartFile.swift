import Foundation

/// Takes the uploaded file out of a `multipart/form-data` body (RFC 7578): the part named
/// `file`, else the first part that carries a file name. The body is read memory-mapped from the
/// spooled upload, so a large upload is never copied into memory.
///
/// ```swift
/// let part = try MultipartFile.extract(from: spooled, contentType: "multipart/form-data; boundary=XyZ")
/// ```
enum MultipartFile {
    struct Part {
        var url: URL
        var fileName: String?
    }

    static func invalid(_ detail: String) -> Problem {
        Problem(status: .badRequest, title: "Invalid multipart body", detail: detail)
    }

    static func extract(from body: URL, contentType: String) throws -> Part {
        guard let boundary = boundary(in: contentType) else { throw invalid("the Content-Type has no boundary parameter") }
        let data = try Data(contentsOf: body, options: .alwaysMapped)
        let delimiter = Data("--\(boundary)".utf8)
        let separator = Data("\r\n\r\n".utf8)
        var candidates: [(name: String?, fileName: String?, content: Range<Int>)] = []
        guard var cursor = data.range(of: delimiter)?.upperBound else { throw invalid("no part starts with the boundary") }
        while cursor + 2 <= data.count, data[cursor] != UInt8(ascii: "-") {
            guard let headerEnd = data.range(of: separator, in: cursor..<data.count) else { throw invalid("a part has no end of headers") }
            guard let next = data.range(of: Data("\r\n".utf8) + delimiter, in: headerEnd.upperBound..<data.count) else {
                throw invalid("a part is not closed by the boundary")
            }
            let headers = String(decoding: data[cursor..<headerEnd.lowerBound], as: UTF8.self)
            let disposition = headers.split(whereSeparator: \.isNewline).first { $0.lowercased().hasPrefix("content-disposition:") }
            candidates.append((disposition.flatMap { parameter("name", in: String($0)) },
                               disposition.flatMap { parameter("filename", in: String($0)) },
                               headerEnd.upperBound..<next.lowerBound))
            cursor = next.upperBound
        }
        guard let chosen = candidates.first(where: { $0.name == "file" }) ?? candidates.first(where: { $0.fileName != nil }) else {
            throw invalid("expected a part named 'file' or a part with a filename")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drugcheck-part-\(UUID().uuidString)")
        try data[chosen.content].write(to: url)
        return Part(url: url, fileName: chosen.fileName)
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
