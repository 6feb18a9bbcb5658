import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// `POST /v1/imports` and `GET /v1/imports/{id}`: a lab uploads a results file (the raw bytes
/// as the body, or a `multipart/form-data` part) and follows up on the batch. `POST /v1/samples`
/// registers samples from a manifest the same way, before their results arrive.
///
/// The file goes through the same import pipeline as on the command line (format detected from
/// content, spectra identified, one transaction, idempotent). A lab's upload may hold only its own
/// lab's rows; an admin's may hold several labs' (a national collation). Answers 201 when
/// imported, 200 when the same bytes were imported before, 422 with every problem when rejected.
/// As after `drugcheck import`, the bulletin triggers observe every import; a trigger failure is
/// logged and reported in the response (`observer_failures`), and the import stands.
struct ImportsController {
    let database: ServerDatabase
    let importBodyLimit: Int
    let metrics: ServerMetrics
    let bulletins: BulletinConfiguration
    let regionLevel: Int

    func register(in routes: RouteCatalogue) {
        routes.add(.post, "/v1/imports", roles: [.lab, .admin], handler: upload)
        routes.add(.post, "/v1/samples", roles: [.lab, .admin], handler: register)
        routes.add(.get, "/v1/imports/{id}", roles: [.lab, .admin], handler: show)
    }

    @Sendable func upload(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await receive(request, context: context, expecting: .results)
    }

    /// A manifest of samples (`drugcheck samples register`): no results, so no trigger scan.
    @Sendable func register(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await receive(request, context: context, expecting: .sampleManifest)
    }

    private func receive(_ request: Request, context: DrugCheckRequestContext, expecting: ImportOptions.Expectation) async throws -> Response {
        let caller = try context.caller
        let query = request.uri.queryParameters
        let name = query["filename"].map(String.init) ?? "upload"
        var options = ImportOptions(labCode: caller.labCode, sampleID: query["sample"].map(String.init),
                                    maxBytes: Int64(importBodyLimit), expecting: expecting)
        options.profile = query["profile"].map(String.init)
        options.importedBy = caller.userName
        let body = try await BodyLimit.spool(request.body, limit: importBodyLimit)
        defer { try? FileManager.default.removeItem(at: body) }
        if let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data") {
            let part = try MultipartFile.extract(from: body, contentType: contentType)
            defer { try? FileManager.default.removeItem(at: part.url) }
            return try await importFile(part.url, name: part.fileName ?? name, options: options)
        }
        return try await importFile(body, name: name, options: options)
    }

    private func importFile(_ file: URL, name: String, options: ImportOptions) async throws -> Response {
        let (result, failures) = try await ServerImport(database: database, metrics: metrics, bulletins: bulletins, regionLevel: regionLevel)
            .run(file, name: name, options: options)
        var body = ImportResponse(result)
        body.observerFailures = failures.isEmpty ? nil : failures
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

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        guard let id = context.parameters.get("id", as: Int64.self) else { throw Problem.notFound("no such import batch") }
        let database = database
        // Another lab's batch is "not found": its existence is not the caller's business.
        guard let batch = try await Blocking.run({ try database.writer.importBatch(id: id) }),
              caller.role == .admin || batch.labCode == caller.labCode else {
            throw Problem.notFound("no import batch \(id) for this lab")
        }
        return try JSONBody.response(BatchResponse(id: id, batch))
    }
}
