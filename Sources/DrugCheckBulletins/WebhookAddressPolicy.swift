import Foundation

/// Where webhooks may go: `https` to a public address. Loopback, private, link-local, shared
/// (CGNAT), multicast and reserved addresses are refused when a subscriber is added (a literal
/// address, or a name that resolves to one) and again before each delivery, after resolving the
/// name, so a subscriber cannot make DrugCheck call into the network it runs in (SSRF). Hosts on
/// the explicit allow-list (`DRUGCHECK_WEBHOOK_ALLOW`, comma-separated `host` or `host:port`) are
/// exempt from both rules, for a receiver inside the deployment's own network.
///
/// ```swift
/// let policy = WebhookAddressPolicy(allowList: ["127.0.0.1:9000"])
/// let url = try policy.checkURL("https://hooks.example.org/drugcheck")
/// try policy.checkResolved(url)     // before each delivery
/// ```
public struct WebhookAddressPolicy: Sendable {
    public var allowList: Set<String>

    public init(allowList: [String] = []) {
        self.allowList = Set(allowList.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }

    /// The allow-list of `DRUGCHECK_WEBHOOK_ALLOW`.
    public static var fromEnvironment: WebhookAddressPolicy {
        WebhookAddressPolicy(allowList: (ProcessInfo.processInfo.environment["DRUGCHECK_WEBHOOK_ALLOW"] ?? "").split(separator: ",").map(String.init))
    }

    public struct Refused: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Checks a webhook URL's form and any literal address; returns the parsed URL.
    @discardableResult
    public func checkURL(_ text: String) throws -> URL {
        guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
              let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw Refused(description: "webhook URL '\(text)': expected an https URL such as https://hooks.example.org/drugcheck")
        }
        guard url.user == nil, url.password == nil else {
            throw Refused(description: "webhook URL '\(text)': credentials in the URL are not accepted; the payload is signed with the subscriber's secret")
        }
        if isAllowListed(url) { return url }
        guard scheme == "https" else {
            throw Refused(description: "webhook URL '\(text)': expected https (plain http only for hosts on DRUGCHECK_WEBHOOK_ALLOW)")
        }
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasSuffix(".local") || name.hasSuffix(".internal") {
            throw Refused(description: "webhook URL '\(text)': \(host) is a local name; webhooks go to public addresses")
        }
        if let address = InternetAddress(literal: name), let range = address.internalRange {
            throw Refused(description: "webhook URL '\(text)': \(host) is a \(range) address; webhooks go to public addresses")
        }
        return url
    }

    /// Resolves the URL's host and refuses when any of its addresses is internal.
    public func checkResolved(_ url: URL) throws {
        guard !isAllowListed(url), let host = url.host else { return }
        for address in try Self.resolve(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))) {
            if let range = address.internalRange {
                throw Refused(description: "\(host) resolves to \(address) (\(range)): not delivered; webhooks go to public addresses")
            }
        }
    }

    /// ``checkResolved(_:)`` when the name resolves now; a name that does not (yet) is checked
    /// before each delivery.
    public func checkResolvedIfKnown(_ url: URL) throws {
        do { try checkResolved(url) } catch let refused as Refused where refused.description.hasPrefix("cannot resolve") {}
    }

    private func isAllowListed(_ url: URL) -> Bool {
        guard let host = url.host?.lowercased() else { return false }
        let port = url.port ?? (url.scheme?.lowercased() == "http" ? 80 : 443)
        return allowList.contains(host) || allowList.contains("\(host):\(port)")
    }

    private static func resolve(_ host: String) throws -> [InternetAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw Refused(description: "cannot resolve \(host): not delivered (will retry)")
        }
        defer { freeaddrinfo(first) }
        var addresses: [InternetAddress] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let sockaddr = entry.pointee.ai_addr else { continue }
            switch entry.pointee.ai_family {
            case AF_INET:
                let v4 = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
                addresses.append(.v4(withUnsafeBytes(of: v4) { Array($0) }))
            case AF_INET6:
                let v6 = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                addresses.append(.v6(withUnsafeBytes(of: v6) { Array($0) }))
            default: continue
            }
        }
        return addresses
    }
}
