import Foundation

/// The IMF-fixdate of HTTP (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7), for
/// `Last-Modified` and `If-Modified-Since`.
///
/// ```swift
/// HTTPDate.string(Date(timeIntervalSince1970: 784111777))   // "Sun, 06 Nov 1994 08:49:37 GMT"
/// ```
enum HTTPDate {
    private static func formatter() -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f
    }

    static func string(_ date: Date) -> String { formatter().string(from: date) }

    /// The date, or nil for anything but an IMF-fixdate (a recipient may ignore other forms).
    static func parse(_ text: String) -> Date? { formatter().date(from: text.trimmingCharacters(in: .whitespaces)) }
}
