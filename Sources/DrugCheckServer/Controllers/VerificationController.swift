import DrugCheckClassify
import DrugCheckImport
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// `POST /v1/samples/{lab}/{id}/verification`: a verifier verifies or rejects a sample's results
/// waiting for verification, as `drugcheck verify` does, under the same four-eyes rule (the user
/// who imported a result cannot verify it). Body: `{"decision": "verify"}` or
/// `{"decision": "reject", "reason": "…"}`. 200 with the outcome; 409 when refused.
struct VerificationController {
    let database: ServerDatabase
    let bodyLimit: Int

    struct Body: Decodable {
        var decision: String
        var reason: String?
    }

    func register(in routes: RouteCatalogue) {
        routes.add(.post, "/v1/samples/{lab}/{id}/verification", roles: [.verifier], handler: decide)
    }

    @Sendable func decide(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let ref = (lab: try context.parameters.require("lab"), sampleID: try context.parameters.require("id"))
        let body = try await JSONBody.decode(Body.self, from: request, limit: bodyLimit)
        let decision: ResultVerification.Decision
        switch (body.decision, body.reason?.trimmingCharacters(in: .whitespacesAndNewlines)) {
        case ("verify", _): decision = .verify
        case ("reject", let reason?) where !reason.isEmpty: decision = .reject(reason: reason)
        default: throw Problem.invalidParameter("decision", expected: "\"verify\", or \"reject\" with a non-empty \"reason\"")
        }
        let (database, verifier) = (database, caller.userName)
        let outcome = try await Blocking.run {
            try ResultVerification(store: database.writer, classifier: SampleClassifier(catalogue: .bundled)).decide([ref], decision, by: verifier)[0]
        }
        if let refused = outcome.refused {
            if refused == "no such sample" { throw Problem.notFound("no sample \(ref.lab)/\(ref.sampleID)") }
            throw Problem(status: .conflict, title: "Not decided", detail: refused)
        }
        return try JSONBody.response(outcome)
    }
}
