import Foundation

/// A JSON value, for documents whose members are only known at run time (problem extensions).
///
/// ```swift
/// let body = JSONValue.object(["status": .number(404)]).encoded()
/// ```
public enum JSONValue: Sendable, Encodable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    func encoded() -> Data {
        (try? JSONBody.encoder.encode(self)) ?? Data("null".utf8)
    }
}
