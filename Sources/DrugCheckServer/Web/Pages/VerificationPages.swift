import DrugCheckClassify
import DrugCheckImport
import DrugCheckStore
import Foundation
import Hummingbird

/// The verification queue (`/verify`): results awaiting a second person, each verified or
/// rejected with a reason, under the four-eyes rule of `drugcheck verify` (whoever imported a
/// result cannot verify it; the refusal is shown on the page).
struct VerificationPages {
    let database: DrugCheckDatabase
    let renderer: PageRenderer
    static let pageSize = 500

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/verify", roles: [.verifier], handler: queue)
        routes.page(.post, "/verify/{lab}/{id}", roles: [.verifier], handler: decide)
    }

    private var verification: ResultVerification {
        ResultVerification(database: database, classifier: SampleClassifier(catalogue: .bundled))
    }

    @Sendable func queue(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        try await page(request, context, refused: nil, status: .ok)
    }

    private func page(_ request: Request, _ context: DrugCheckRequestContext, refused: String?, status: HTTPResponse.Status) async throws -> Response {
        let verification = verification
        // One page of the queue: the first 500 in key order (one more tells whether there are more).
        let pending = try await Blocking.run { try verification.pending(lab: nil, limit: Self.pageSize + 1) }
        let database = database
        let found = try await Blocking.run {
            let page = Array(pending.prefix(Self.pageSize))
            return zip(page, try database.samples(page)).map { ref, stored -> (lab: String, id: String, week: String, found: String) in
                (ref.lab, ref.sampleID, stored?.week?.description ?? "", stored.map { SamplePages.found($0.sample).joined(separator: ", ") } ?? "")
            }
        }
        let rows: [[String: Any]] = found.map { row in
            let path = "\(SamplePages.escape(row.lab))/\(SamplePages.escape(row.id))"
            return ["lab": row.lab, "id": row.id, "href": "/samples/\(path)", "action": "/verify/\(path)", "week": row.week, "found": row.found]
        }
        let decided = request.uri.queryParameters["decided"].map(String.init) ?? ""
        return try renderer.page("verify", title: "nav_verify", data: [
            "queue": rows, "empty": rows.isEmpty, "total": pending.count > Self.pageSize ? "\(Self.pageSize)+" : String(pending.count),
            "decided": decided, "refused": refused ?? "",
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
