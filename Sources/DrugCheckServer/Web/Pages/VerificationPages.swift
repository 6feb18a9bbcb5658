import DrugCheckClassify
import DrugCheckImport
import DrugCheckStore
import Foundation
import Hummingbird

/// The verification queue (`/verify`): results awaiting a second person, each verified or
/// rejected with a reason, under the four-eyes rule of `drugcheck verify` (whoever imported a
/// result cannot verify it; the refusal is shown on the page).
struct VerificationPages {
    let database: ServerDatabase
    let renderer: PageRenderer
    /// Samples per page: what one person works through before asking for more.
    static let pageSize = 100

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/verify", roles: [.verifier], handler: queue)
        routes.page(.post, "/verify/{lab}/{id}", roles: [.verifier], handler: decide)
    }

    private var verification: ResultVerification {
        ResultVerification(store: database.writer, classifier: SampleClassifier(catalogue: .bundled))
    }

    @Sendable func queue(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await page(request, context, refused: nil, status: .ok)
    }

    private func page(_ request: Request, _ context: DrugCheckRequestContext, refused: String?, status: HTTPResponse.Status) async throws -> Response {
        let parameters = request.uri.queryParameters
        // `after=LAB/ID`: the page after that sample, in key order.
        let after = parameters["after"].flatMap { text -> (lab: String, sampleID: String)? in
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        let database = database
        // One more than a page tells whether there are more.
        let found = try await Blocking.run { try database.writer.verificationQueue(lab: nil, after: after, limit: Self.pageSize + 1) }
        let page = found.prefix(Self.pageSize)
        let rows: [[String: Any]] = page.map { row in
            let path = "\(SamplePages.escape(row.lab))/\(SamplePages.escape(row.sampleID))"
            return ["lab": row.lab, "id": row.sampleID, "href": "/samples/\(path)", "action": "/verify/\(path)",
                    "week": row.week?.description ?? "", "found": row.found.joined(separator: ", ")]
        }
        let next = found.count > Self.pageSize ? page.last.map { "/verify?after=\(SamplePages.escape("\($0.lab)/\($0.sampleID)"))" } ?? "" : ""
        let decided = parameters["decided"].map(String.init) ?? ""
        return try renderer.page("verify", title: "nav_verify", data: [
            "queue": rows, "empty": rows.isEmpty, "total": found.count > Self.pageSize ? "\(Self.pageSize)+" : String(found.count),
            "next": next, "decided": decided, "refused": refused ?? "",
        ], request: request, context: context, status: status)
    }

    @Sendable func decide(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let ref = (lab: try context.parameters.require("lab"), sampleID: try context.parameters.require("id"))
        let reason = (context.form?["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let decision: ResultVerification.Decision
        switch context.form?["decision"] {
        case "verify": decision = .verify
        case "reject" where !reason.isEmpty: decision = .reject(reason: reason)
        case "reject": return try await page(request, context, refused: renderer.texts.text("reason_required", renderer.language(request, context)),
                                            status: .unprocessableContent)
        default: throw WebPageError.badRequest("decision must be verify or reject")
        }
        let verification = verification
        let outcome = try await Blocking.run { try verification.decide([ref], decision, by: caller.userName)[0] }
        if let refused = outcome.refused {
            return try await page(request, context, refused: "\(ref.lab)/\(ref.sampleID): \(refused)", status: .conflict)
        }
        return PageRenderer.redirect(to: "/verify?decided=\(SamplePages.escape("\(ref.lab)/\(ref.sampleID)"))")
    }
}
