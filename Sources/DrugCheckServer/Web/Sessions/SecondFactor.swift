import Foundation
import HummingbirdOTP

/// TOTP second factor (RFC 6238 through hummingbird-auth's `TOTP`): 6 digits, 30 s steps,
/// one step of clock drift either way.
///
/// ```swift
/// let secret = SecondFactor.newSecret()
/// print(SecondFactor.setupURL(secret: secret, user: "ana"))   // otpauth://totp/…?secret=BASE32
/// SecondFactor.accepts("123456", secret: secret)
/// ```
public enum SecondFactor {
    /// The shared key (HOTP's HMAC key, RFC 4226 §4: ≥ 128 bits; here 132 bits of base64url
    /// text, which `TOTP` uses as the key's bytes and base32-encodes in the setup URL).
    public static func newSecret() -> String {
        String(WebSession.randomToken().prefix(22))
    }

    public static func setupURL(secret: String, user: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: user, issuer: "DrugCheck")
    }

    /// The code for a moment (for tests and for showing a user what to expect).
    public static func code(secret: String, at date: Date = Date()) -> String {
        String(format: "%06d", TOTP(secret: secret).compute(date: date))
    }

    public static func accepts(_ code: String, secret: String, at date: Date = Date()) -> Bool {
        let digits = code.filter { $0.isASCII && $0.isNumber }
        guard digits.count == 6 else { return false }
        return [-30.0, 0, 30].contains { Self.code(secret: secret, at: date.addingTimeInterval($0)) == digits }
    }
}
