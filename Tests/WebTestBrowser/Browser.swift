import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser's side of the web app in tests: its cookies, and the form token of the last page.
public struct Browser {
    public init() {}

    public var cookies: [String: String] = [:]

    public var cookieHeader: HTTPFields {
        var headers = HTTPFields()
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    public mutating func keep(_ response: TestResponse) {
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if line.contains("Expires=Thu, 01 Jan 1970") || line.range(of: "Max-Age=0") != nil { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
    }

    /// The `_csrf` value of the first form in a page.
    public static func formToken(_ html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    public static func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    public func get(_ client: some TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: cookieHeader)
    }

    public func post(_ client: some TestClientProtocol, _ path: String, _ fields: [String: String]) async throws -> TestResponse {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: path, method: .post, headers: headers, body: Self.form(fields))
    }

    /// Logs in through `/login` as a real browser does (again, when it holds a session); returns the login's response.
    @discardableResult
    public mutating func logIn(_ client: some TestClientProtocol, _ name: String, _ password: String, totp: String = "") async throws -> TestResponse {
        var page = try await get(client, "/login")
        keep(page)
        if page.status == .seeOther, let home = page.headers[.location] {
            page = try await get(client, home)   // logged in already: any page's form token will do
        }
        guard let token = Self.formToken(String(buffer: page.body)) else { throw NoLoginForm(status: page.status.code) }
        let response = try await post(client, "/login", ["_csrf": token, "username": name, "password": password, "totp": totp])
        keep(response)
        return response
    }
}

/// `/login` showed no form to fill in.
public struct NoLoginForm: Error {
    public var status: Int
}
