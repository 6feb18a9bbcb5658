/// Escaping for XML and HTML text and attribute values (also used by the web app's SVG charts).
///
/// ```swift
/// XMLText.escape("<b>Tom & 'Jerry'</b>") // "&lt;b&gt;Tom &amp; &apos;Jerry&apos;&lt;/b&gt;"
/// ```
public enum XMLText {
    /// Safe in element content and in double- or single-quoted attributes; characters XML 1.0
    /// forbids are dropped.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            // Control characters other than tab, LF and CR are not allowed in XML 1.0.
            case _ where c.value < 0x20 && c != "\t" && c != "\n" && c != "\r": continue
            case "\u{FFFE}", "\u{FFFF}": continue
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `<name>escaped text</name>` at `indent` spaces.
    static func element(_ name: String, _ text: String, indent: Int) -> String {
        "\(String(repeating: " ", count: indent))<\(name)>\(escape(text))</\(name)>\n"
    }
}
