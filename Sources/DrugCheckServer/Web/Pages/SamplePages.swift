import DrugCheckClassify
import DrugCheckModel
import DrugCheckStore
import Foundation
import Hummingbird

/// Samples with filters (`/samples`) and one sample (`/samples/{lab}/{id}`): findings,
/// identification evidence with the mirror plot, verification and history. A lab sees only its
/// own lab's samples; another lab's sample page answers 404, as in the API.
struct SamplePages {
    let database: ServerDatabase
    let evidence: EvidenceViews
    let renderer: PageRenderer
    static let pageSize = 100

    func register(in routes: RouteCatalogue) {
        routes.page(.get, "/samples", roles: [.lab, .verifier, .admin], handler: list)
        routes.page(.get, "/samples/{lab}/{id}", roles: [.lab, .verifier, .admin], handler: show)
    }

    @Sendable func list(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let parameters = request.uri.queryParameters
        var query = SampleQuery()
        query.week = parameters["week"].flatMap { ISOWeek(String($0)) }
        query.reportClass = parameters["class"].flatMap { ReportClass(rawValue: String($0)) }
        query.sampleType = parameters["type"].flatMap { SampleType(rawValue: String($0)) }
        query.status = parameters["status"].flatMap { ResultStatus(rawValue: String($0)) }
        query.afterID = parameters["after"].flatMap { Int64(String($0)) }
        if caller.role == .lab { query.labCode = caller.labCode }
        query.limit = Self.pageSize + 1
        let (database, pageQuery) = (database, query)
        let rows = try await Blocking.run { try pageQuery.fetchWithIDs(from: database.writer) }
        let page = rows.prefix(Self.pageSize)
        let language = renderer.language(request, context)
        let samples: [[String: Any]] = page.map { row in
            let s = row.sample.sample
            return ["lab": s.labCode, "id": s.labSampleID, "week": row.sample.week?.description ?? "", "type": s.type.rawValue,
                    "sold_as": s.soldAs ?? "", "found": Self.found(s).joined(separator: ", "),
                    "classes": row.sample.classification?.positiveClasses.map(\.rawValue).sorted().joined(separator: ", ") ?? "",
                    "status": Self.status(s), "href": "/samples/\(Self.escape(s.labCode))/\(Self.escape(s.labSampleID))"]
        }
        var next = ""
        if rows.count > Self.pageSize, let last = page.last {
            var items = parameters.filter { $0.key != "after" }.map { "\($0.key)=\(Self.escape(String($0.value)))" }
            items.append("after=\(last.id)")
            next = "/samples?" + items.joined(separator: "&")
        }
        let t = renderer.texts
        return try renderer.page("samples", title: "nav_samples", data: [
            "samples": samples, "empty": samples.isEmpty, "next": next,
            // Named apart from the rows' keys: Mustache looks a row's empty value up in the page.
            "week_filter": query.week?.description ?? "",
            "class_options": Self.options(ReportClass.allCases.map(\.rawValue), selected: query.reportClass?.rawValue),
            "type_options": Self.options(SampleType.allCases.map(\.rawValue), selected: query.sampleType?.rawValue),
            "status_options": ResultStatus.allCases.map { ["value": $0.rawValue, "label": t.text("status_\($0.rawValue)", language),
                                                     "selected": $0 == query.status] as [String: Any] },
        ], request: request, context: context)
    }

    @Sendable func show(_ request: Request, context: DrugCheckRequestContext) async throws -> Response {
        let caller = try context.caller
        let lab = try context.parameters.require("lab"), id = try context.parameters.require("id")
        guard AccessPolicy.mayReadRawResults(of: lab, caller: caller) else { throw WebPageError.notFound("\(lab)/\(id)") }
        let database = database
        var query = SampleQuery(labCode: lab)
        query.labSampleID = id
        let lookup = query
        guard let (rowID, stored) = try await Blocking.run({ try lookup.fetchWithIDs(from: database.writer).first }) else {
            throw WebPageError.notFound("\(lab)/\(id)")
        }
        let versions = try await Blocking.run { try database.writer.analysisVersions(lab: lab, sampleID: id) } ?? []
        let language = renderer.language(request, context)
        let texts = renderer.texts
        let spectra = try await evidence.spectra(sampleRowID: rowID) { texts.text($0, language) }
        let s = stored.sample
        let analyses: [[String: Any]] = s.analyses.map { a in
            ["technique": a.technique.rawValue, "instrument": a.instrument ?? "", "date": a.analysedOn?.description ?? "",
             "status": a.status.rawValue, "decided_by": a.verification?.verifiedBy ?? a.verification?.rule.map { "rule: \($0)" } ?? "",
             "reason": a.verification?.reason ?? "",
             "findings": a.findings.map { f -> [String: Any] in
                 ["name": f.substanceID ?? f.reportedName, "reported": f.reportedName, "detected": f.detected,
                  "concentration": f.concentration.map { "\($0.value.formatted()) \($0.unit.rawValue)" } ?? "",
                  "level": f.confidence?.level?.rawValue ?? "", "category": f.confidence?.swgdrugCategory?.rawValue ?? a.technique.swgdrugCategory.rawValue,
                  "score": f.matchScore.map { String(format: "%.3f", $0) } ?? ""]
             }]
        }
        let history: [[String: Any]] = SampleVersion.grouped(versions).map { v in
            ["version": v.version, "file": v.file, "by": v.importedBy ?? "cli", "at": PageFormat.dateTime(v.receivedAt), "reason": v.reason ?? "",
             "results": v.results.map { r -> [String: Any] in
                 ["id": r.analysis.analysisID, "status": r.analysis.analysis.status.rawValue,
                  "fate": r.analysis.supersededBy.map { "→ \($0)" } ?? (r.analysis.counted ? "counted" : "not counted"),
                  "changes": r.changes]
             }]
        }
        let d = s.description
        return try renderer.page("sample", title: "\(lab)/\(id)", data: [
            "lab": lab, "id": id, "week": stored.week?.description ?? "", "type": s.type.rawValue, "sold_as": s.soldAs ?? "",
            "region": s.region ?? "", "description": [d.brand, d.flavour, d.colour, d.logo, d.text].compactMap { $0 }.joined(separator: " · "),
            "classes": stored.classification?.positiveClasses.map(\.rawValue).sorted().joined(separator: ", ") ?? "",
            "risk": stored.classification?.riskTier.rawValue ?? "", "unexpected": stored.classification?.unexpected ?? false,
            "analyses": analyses, "no_results": analyses.isEmpty, "history": history, "spectra": spectra,
        ], request: request, context: context)
    }

    static func found(_ sample: Sample) -> [String] {
        sample.analyses.flatMap(\.findings).filter(\.detected).map { $0.substanceID ?? $0.reportedName }
            .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    static func status(_ sample: Sample) -> String {
        let statuses = Set(sample.analyses.map(\.status))
        return statuses.isEmpty ? "registered" : statuses.contains(.submitted) ? "submitted" : statuses.contains(.verified) ? "verified" : "rejected"
    }

    static func options(_ values: [String], selected: String?) -> [[String: Any]] {
        values.map { ["value": $0, "selected": $0 == selected] }
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_."))) ?? text
    }
}
