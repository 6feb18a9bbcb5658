import DrugCheckStore
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Renders the web app's pages: a Mustache template (`Templates/NAME.mustache`, which extends
/// `layout`) with the page's data and the chrome every page shares: language and its words
/// (`t.KEY`), the caller, the navigation for the caller's role and the form token.
///
/// ```swift
/// return try renderer.page("samples", title: "samples", data: ["samples": rows], request: request, context: context)
/// ```
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let texts: WebTexts

    static func bundled() throws -> PageRenderer {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Templates"])
        }
        var library = MustacheLibrary()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            try library.register(text, named: String(name.dropLast(".mustache".count)))
        }
        return PageRenderer(library: library, texts: try .bundled())
    }

    /// The language of this request's page (see ``WebTexts/negotiate(query:chosen:acceptLanguage:)``).
    func language(_ request: Request, _ context: DrugCheckRequestContext) -> String {
        WebTexts.negotiate(query: request.uri.queryParameters["lang"].map(String.init),
                           chosen: request.cookies["drugcheck_lang"]?.value.description ?? context.webSession?.language,
                           acceptLanguage: request.headers[.acceptLanguage])
    }

    func page(_ template: String, title: String, data: [String: Any] = [:], request: Request,
              context: DrugCheckRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        let language = language(request, context)
        var values = data
        let words = texts.table(for: language)
        values["t"] = words
        values["lang"] = language
        values["title"] = words[title] ?? title
        values["csrf"] = data["csrf"] ?? context.webSession?.csrf ?? ""
        values["path"] = request.uri.path
        values["languages"] = WebTexts.languages.map { ["code": $0, "current": $0 == language] as [String: Any] }
        if let caller = context.principal {
            values["user"] = ["name": caller.userName, "role": words["role_\(caller.role.rawValue)"] ?? caller.role.rawValue,
                              "lab": caller.labCode ?? ""]
        }
        values["nav"] = Navigation.links(for: context.principal?.role).map { link in
            ["href": link.path, "label": words[link.key] ?? link.key, "current": request.uri.path == link.path] as [String: Any]
        }
        guard let html = library.render(Self.withoutEmptyText(values), withTemplate: template) else {
            throw WebPageError.notFound("no page template \(template)")
        }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        // No script, style or frame from anywhere else; forms post only here (defence in depth against XSS).
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A template's content without the layout (the words and language of `language`), for pages
    /// that keep the costly part of their content in a ``RenderedCache`` and put it in the layout
    /// per request (the layout carries the caller and the form token, never cached).
    func fragment(_ template: String, data: [String: Any], language: String) throws -> String {
        var values = data
        values["t"] = texts.table(for: language)
        values["lang"] = language
        guard let html = library.render(Self.withoutEmptyText(values), withTemplate: template) else {
            throw WebPageError.notFound("no page template \(template)")
        }
        return html
    }

    /// Drops empty strings, so that `{{#value}}…{{/value}}` shows nothing for an empty value.
    /// (A dropped key is looked up in the enclosing contexts: templates use dotted names, such as
    /// `user.lab`, where an outer key of the same name exists.)
    static func withoutEmptyText(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case let dictionary as [String: Any]: return dictionary.compactMapValues(withoutEmptyText)
        case let array as [[String: Any]]: return array.map { $0.compactMapValues(withoutEmptyText) }
        case let array as [Any]: return array.compactMap(withoutEmptyText)
        default: return value
        }
    }

    /// `303 See Other` to a local path (after a form, or to log in).
    static func redirect(to path: String) -> Response {
        Response(status: .seeOther, headers: [.location: path])
    }
}
