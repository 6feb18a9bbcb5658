import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// `GET /v1/samples` and `GET /v1/samples/{lab}/{id}`: raw results with findings,
/// classification and identification confidence. A lab token sees only its own lab's samples
/// (another lab's sample is "not found"); the ministry sees aggregates only, through reports.
struct SamplesController {
    let database: ServerDatabase
    static let defaultLimit = 100
    static let maxLimit = 1000

    func register(in routes: RouteCatalogue) {
        routes.add(.get, "/v1/samples", roles: [.lab, .admin], handler: list)
        routes.add(.get, "/v1/samples/{lab}/{id}", roles: [.lab, .admin], handler: show)
        routes.add(.get, "/v1/evidence/samples/{sampleRef}", roles: [.lab, .reviewer, .admin], handler: evidence)
    }

    @Sendable func list(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        var query = try Self.query(request.uri.queryParameters)
        if caller.role == .lab {
            if let asked = query.labCode, asked != caller.labCode {
                throw Problem(status: .forbidden, title: "Forbidden", detail: "a lab token reads only its own lab's samples")
            }
            query.labCode = caller.labCode
        }
        let limit = query.limit ?? Self.defaultLimit
        query.limit = limit + 1 // one more than asked tells whether there is a next page
        let (database, pageQuery) = (database, query)
        let rows = try await Blocking.run { try pageQuery.fetchWithIDs(from: database.writer) }
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { String($0.id) } : nil
        return try JSONBody.response(SamplePage(samples: page.map { SampleDocument($0.sample) }, nextCursor: next))
    }

    static func query(_ parameters: some Sequence<(key: Substring, value: Substring)>) throws -> SampleQuery {
        var query = SampleQuery()
        for (key, value) in parameters {
            let v = String(value)
            switch key {
            case "week":
                guard let week = ISOWeek(v) else { throw Problem.invalidParameter("week", expected: "an ISO week such as 2026-W47") }
                query.week = week
            case "class":
                guard let c = ReportClass(rawValue: v) else {
                    throw Problem.invalidParameter("class", expected: "one of \(ReportClass.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.reportClass = c
            case "sample_type":
                guard let t = SampleType(rawValue: v) else {
                    throw Problem.invalidParameter("sample_type", expected: "one of \(SampleType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                query.sampleType = t
            case "region": query.region = v
            case "lab": query.labCode = v
            case "cursor":
                guard let id = Int64(v), id >= 0 else { throw Problem.invalidParameter("cursor", expected: "a next_cursor value from a previous page") }
                query.afterID = id
            case "limit":
                guard let n = Int(v), (1...maxLimit).contains(n) else { throw Problem.invalidParameter("limit", expected: "an integer from 1 to \(maxLimit)") }
                query.limit = n
            default:
                throw Problem.invalidParameter(String(key), expected: "no such parameter (week, class, sample_type, region, lab, cursor, limit)")
            }
        }
        return query
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let lab = try context.parameters.require("lab")
        let id = try context.parameters.require("id")
        let notFound = Problem.notFound("no such sample for this caller")
        if caller.role == .lab, lab != caller.labCode { throw notFound }
        let database = database
        guard let sample = try await Blocking.run({ try database.writer.sample(lab: lab, id: id) }) else { throw notFound }
        return try JSONBody.response(SampleDocument(sample))
    }

    /// A bulletin's evidence link: the sample behind an opaque reference, for reviewers checking
    /// a bulletin and for the lab that analysed it (any other lab gets "not found").
    @Sendable func evidence(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let notFound = Problem.notFound("no such sample for this caller")
        guard let ref = Int64(try context.parameters.require("sampleRef")) else { throw notFound }
        let database = database
        guard let sample = try await Blocking.run({ try database.writer.sample(rowID: ref) }),
              caller.role != .lab || sample.sample.labCode == caller.labCode else { throw notFound }
        return try JSONBody.response(SampleDocument(sample))
    }
}

/// One page of samples; `next_cursor` is null on the last page.
struct SamplePage: Encodable {
    var samples: [SampleDocument]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case samples, nextCursor = "next_cursor" }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        try c.encode(nextCursor, forKey: .nextCursor) // explicit null, not omitted
    }
}
