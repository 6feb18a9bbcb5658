import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// The lab's pages: upload results files and register samples (`/lab`), and the import history
/// with each rejected file's problems shown in place (`/lab/imports`).
struct LabPages {
    let database: ServerDatabase
    let imports: ServerImport
    let importBodyLimit: Int
    let renderer: PageRenderer

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/lab", roles: [.lab], handler: show)
        routes.page(.post, "/lab/upload", roles: [.lab]) { try await receive($0, $1, field: "files", expecting: .results) }
        routes.page(.post, "/lab/register", roles: [.lab]) { try await receive($0, $1, field: "manifest", expecting: .sampleManifest) }
        routes.page(.get, "/lab/imports", roles: [.lab, .admin], handler: history)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try renderer.page("lab", title: "nav_upload", data: ["limit_mb": importBodyLimit / 1_048_576], request: request, context: context)
    }

    /// Each chosen file through the one import pipeline, then the history (newest first) shows what happened.
    private func receive(_ request: Request, _ context: DrugCheckRequestContext, field: String,
                         expecting: ImportOptions.Expectation) async throws -> Response {
        let caller = try context.caller
        let files = context.form?.files(named: field) ?? []
        guard !files.isEmpty else { throw WebPageError.badRequest("choose at least one file") }
        var repeated = 0
        for file in files {
            var options = ImportOptions(labCode: caller.labCode, maxBytes: Int64(importBodyLimit), expecting: expecting)
            options.importedBy = caller.userName
            if try await imports.run(file.url, name: file.fileName, options: options).result.outcome == .alreadyImported { repeated += 1 }
        }
        return PageRenderer.redirect(to: "/lab/imports?received=\(files.count)&repeated=\(repeated)")
    }

    @Sendable func history(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let database = database
        let entries = try await Blocking.run { try database.writer.importHistory(labCode: caller.role == .lab ? caller.labCode : nil, limit: 200) }
        let rows: [[String: Any]] = entries.map { entry in
            let batch = entry.batch
            let lines = batch.outcome == .rejected ? OffendingLines.read(entry.keptAt, lines: Set(batch.errors.prefix(50).map(\.line))) : [:]
            return [
                "id": entry.id, "file": batch.fileName, "lab": batch.labCode ?? "", "format": batch.format.rawValue,
                "received": PageFormat.dateTime(batch.receivedAt), "by": entry.importedBy ?? "",
                "outcome": batch.outcome.rawValue, "rejected": batch.outcome == .rejected,
                "samples": batch.sampleCount, "findings": batch.findingCount, "notes": batch.notes,
                "problem_count": batch.errors.count,
                "problems": batch.errors.prefix(50).map { problem -> [String: Any] in
                    var shown: [String: Any] = ["message": problem.message, "text": lines[problem.line] ?? ""]
                    if problem.line > 0 { shown["where"] = ["line": problem.line, "column": problem.column] }
                    return shown
                },
            ].merging(batch.errors.count > 50 ? ["more_problems": batch.errors.count - 50] : [:]) { a, _ in a }
        }
        let query = request.uri.queryParameters
        var data: [String: Any] = ["imports": rows, "empty": rows.isEmpty]
        if let received = query["received"].flatMap({ Int(String($0)) }), received > 0 {
            var notice: [String: Any] = ["count": received]
            if let repeated = query["repeated"].flatMap({ Int(String($0)) }), repeated > 0 { notice["repeated"] = repeated }
            data["received"] = notice
        }
        return try renderer.page("imports", title: "nav_imports", data: data,
                                 request: request, context: context)
    }
}

/// The text of given lines of a kept (rejected) file, for showing a problem beside its line.
enum OffendingLines {
    static func read(_ path: String?, lines wanted: Set<Int>, maxLength: Int = 300) -> [Int: String] {
        guard let path, let last = wanted.max(), let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else { return [:] }
        var found: [Int: String] = [:]
        var (line, start) = (1, data.startIndex)
        while start < data.endIndex, line <= last {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            if wanted.contains(line) {
                let text = String(decoding: data[start..<end], as: UTF8.self).trimmingCharacters(in: .newlines)
                found[line] = text.count > maxLength ? String(text.prefix(maxLength)) + "…" : text
            }
            (line, start) = (line + 1, end + 1)
        }
        return found
    }
}
