import DrugCheckBulletins
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird
import Logging

/// `POST /v1/imports` and `GET /v1/imports/{id}`: a lab uploads a results file (the raw bytes
/// as the body, or a `multipart/form-data` part) and follows up on the batch.
///
/// The file is imported as on the command line (format detected from content, one transaction,
/// idempotent) under the caller's lab: a file naming another lab is rejected. Answers 201 when
/// imported, 200 when the same bytes were imported before, 422 with every problem when rejected.
/// As after `drugcheck import`, the bulletin triggers are evaluated after every import.
struct ImportsController {
    let database: DrugCheckDatabase
    let importBodyLimit: Int
    let metrics: ServerMetrics
    let bulletins: BulletinConfiguration

    func register(in routes: RouteCatalogue) {
        routes.add(.post, "/v1/imports", roles: [.lab], handler: upload)
        routes.add(.get, "/v1/imports/{id}", roles: [.lab, .admin], handler: show)
    }

    @Sendable func upload(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let query = request.uri.queryParameters
        let sampleID = query["sample"].map(String.init)
        let name = query["filename"].map(String.init) ?? "upload"
        let body = try await BodyLimit.spool(request.body, limit: importBodyLimit)
        defer { try? FileManager.default.removeItem(at: body) }
        if let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data") {
            let part = try MultipartFile.extract(from: body, contentType: contentType)
            defer { try? FileManager.default.removeItem(at: part.url) }
            return try await importFile(part.url, name: part.fileName ?? name, lab: caller.labCode, sampleID: sampleID)
        }
        return try await importFile(body, name: name, lab: caller.labCode, sampleID: sampleID)
    }

    private func importFile(_ file: URL, name: String, lab: String?, sampleID: String?) async throws -> Response {
        let options = ImportOptions(labCode: lab, sampleID: sampleID, maxBytes: Int64(importBodyLimit))
        let (database, bulletins) = (database, bulletins)
        let (result, scanFailure) = try await Blocking.run { () -> (ImportResult, String?) in
            let result = try FileImporter(database: database).importFile(at: file, displayName: Self.safeName(name), options: options)
            guard result.outcome == .imported else { return (result, nil) }
            // The import is committed on its own: a failed scan is logged, and the next import or `bulletins scan` redoes it.
            do { _ = try BulletinScanner(database: database, configuration: bulletins).scan(actor: "import") } catch {
                return (result, "\(error)")
            }
            return (result, nil)
        }
        if let scanFailure { Logger(label: "drugcheck.server").error("bulletin scan after import failed: \(scanFailure)") }
        metrics.recordImport(outcome: result.outcome.rawValue)
        let body = ImportResponse(result)
        switch result.outcome {
        case .imported:
            var headers = HTTPFields()
            if let id = result.batchID { headers[.location] = "/v1/imports/\(id)" }
            return try JSONBody.response(body, status: .created, headers: headers)
        case .alreadyImported:
            return try JSONBody.response(body, status: .ok)
        case .rejected:
            throw Problem(status: .unprocessableContent, title: "File rejected",
                          detail: "\(result.errors.count) problem\(result.errors.count == 1 ? "" : "s") found; nothing was imported",
                          extensions: body.problemExtensions)
        }
    }

    /// A display name without folders or control characters.
    static func safeName(_ name: String) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "upload"
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        return cleaned.isEmpty ? "upload" : String(cleaned.prefix(200))
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound("no such import batch") }
        let database = database
        // Another lab's batch is "not found": its existence is not the caller's business.
        guard let batch = try await Blocking.run({ try database.importBatch(id: id) }),
              caller.role == .admin || batch.labCode == caller.labCode else {
            throw Problem.notFound("no import batch \(id) for this lab")
        }
        return try JSONBody.response(BatchResponse(id: id, batch))
    }
}
