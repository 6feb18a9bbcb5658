import Foundation

/// An IPv4 or IPv6 address as its bytes, and whether it lies in a range no webhook may reach:
/// the special-purpose ranges of the IANA registries (RFC 6890 and its updates) that are not
/// globally reachable.
///
/// ```swift
/// InternetAddress(literal: "10.1.2.3")?.internalRange   // "private (RFC 1918)"
/// InternetAddress(literal: "::ffff:127.0.0.1")?.internalRange   // "loopback"
/// ```
enum InternetAddress: CustomStringConvertible {
    case v4([UInt8])
    case v6([UInt8])

    init?(literal: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            self = .v4(withUnsafeBytes(of: v4) { Array($0) })
        } else if inet_pton(AF_INET6, literal, &v6) == 1 {
            self = .v6(withUnsafeBytes(of: v6) { Array($0) })
        } else {
            return nil
        }
    }

    /// The kind of internal range the address is in; nil for a public address.
    var internalRange: String? {
        switch self {
        case .v4(let b): return Self.v4Range(b)
        case .v6(let b):
            if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? "loopback" : "unspecified" }
            // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses carry an IPv4 address.
            if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return Self.v4Range(Array(b[12...])) }
            if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..<12].allSatisfy({ $0 == 0 }) { return Self.v4Range(Array(b[12...])) }
            if b[0] & 0xfe == 0xfc { return "unique local (RFC 4193)" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return "link-local" }
            if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 { return "site-local" }
            if b[0] == 0xff { return "multicast" }
            if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return "documentation" }
            return nil
        }
    }

    private static func v4Range(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): "unspecified"
        case (10, _): "private (RFC 1918)"
        case (100, 64...127): "shared (CGNAT)"
        case (127, _): "loopback"
        case (169, 254): "link-local"
        case (172, 16...31): "private (RFC 1918)"
        case (192, 0) where b[2] == 0: "IETF protocol assignment"
        case (192, 168): "private (RFC 1918)"
        case (198, 18...19): "benchmarking"
        case (224...239, _): "multicast"
        case (240...255, _): "reserved"
        default: nil
        }
    }

    var description: String {
        switch self {
        case .v4(let b): return b.map(String.init).joined(separator: ".")
        case .v6(let b):
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            var raw = in6_addr()
            withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: b) }
            return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil ? String(cString: buffer) : "?"
        }
    }
}
