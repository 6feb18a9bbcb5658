import Crypto
import Foundation

/// The signature on every webhook delivery: HMAC-SHA256 with the subscriber's secret over
/// `timestamp + "." + body`, sent as `X-DrugCheck-Signature: sha256=<hex>` next to
/// `X-DrugCheck-Timestamp: <unix seconds>`. Signing the timestamp lets a receiver refuse replays.
///
/// ```swift
/// let ok = WebhookSignature.verify(signature: header, timestamp: ts, body: body, secret: secret)
/// ```
public enum WebhookSignature {
    public static let signatureHeader = "X-DrugCheck-Signature"
    public static let timestampHeader = "X-DrugCheck-Timestamp"
    public static let idempotencyHeader = "Idempotency-Key"

    /// HMAC-SHA256 of `message` under `key`, lowercase hex.
    public static func hmacHex(key: Data, message: Data) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)).map { String(format: "%02x", $0) }.joined()
    }

    public static func sign(timestamp: String, body: Data, secret: String) -> String {
        "sha256=" + hmacHex(key: Data(secret.utf8), message: Data((timestamp + ".").utf8) + body)
    }

    /// Constant-time comparison of `signature` with the expected one.
    public static func verify(signature: String, timestamp: String, body: Data, secret: String) -> Bool {
        let expected = Array(sign(timestamp: timestamp, body: body, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
