import Foundation

/// Turns file bytes into text the way spreadsheet exports need: UTF-8 (with or without BOM),
/// falling back to Windows-1252 when the bytes are not valid UTF-8.
public enum TextDecoding {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 with BOM"
        case windows1252 = "Windows-1252"
    }

    /// A field of a file read as UTF-8 that is not valid UTF-8: the file is read again as Windows-1252.
    public struct NotUTF8: Error, Sendable {
        public var line: Int
        public var column: Int
    }

    /// The encoding a file's first bytes announce: UTF-8 with BOM, else UTF-8 until a byte says otherwise.
    public static func announced(by head: Data) -> Encoding {
        head.starts(with: [0xEF, 0xBB, 0xBF]) ? .utf8BOM : .utf8
    }

    public static func decode(_ data: Data) -> (text: String, encoding: Encoding) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]), let text = String(validating: data.dropFirst(3), as: UTF8.self) {
            return (text, .utf8BOM)
        }
        if let text = String(validating: data, as: UTF8.self) {
            return (text, .utf8)
        }
        return (windows1252(data), .windows1252)
    }

    /// Windows-1252: Latin-1 except 0x80–0x9F, which hold typographic characters (€, ‘ ’, “ ”, –, —…).
    /// Mapping from the Unicode Consortium's cp1252 table (unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT);
    /// the five undefined bytes become U+FFFD.
    static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    static func windows1252<Bytes: Collection<UInt8>>(_ data: Bytes) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(data.count)
        for byte in data {
            let value = (0x80...0x9F).contains(byte) ? cp1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }
}
