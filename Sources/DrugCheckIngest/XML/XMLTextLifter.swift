import Foundation

/// Takes the text of one kind of element out of an XML byte stream before libxml2 parses it, so
/// that libxml2 scans only the markup.
///
/// Why not leave it to libxml2: in an mzML file most bytes are the base64 text of `<binary>`
/// elements, and libxml2 checking that text character by character (`xmlParseCharData`), copying
/// it into its buffer and handing it to the SAX callback was about a fifth of the parsing
/// thread's instructions (callgrind, `drugcheck bench mzml`; see BENCHMARKS.md). This scanner
/// finds it with `memchr` on the read-ahead thread instead.
///
/// What is lifted is deliberately narrow, and everything else passes through untouched:
/// - only an element written exactly `<binary>` (no prefix, no attributes, no space), whose text
///   runs straight to an exact `</binary>`, contains no `&` (so no entity or character
///   reference), and is at most ``XMLPushParser/maxTextBytes`` long;
/// - never inside a comment, CDATA section or processing instruction;
/// - nothing at all after a `<!DOCTYPE` (libxml2 refuses the file anyway), nor in a document
///   whose encoding is not ASCII-compatible (UTF-16, UTF-32, EBCDIC) or not UTF-8, US-ASCII or
///   ISO-8859-1 by its declaration.
///
/// A lifted element reaches libxml2 as `<binary drugcheck-lifted="N">` followed by the line
/// breaks of its text (so libxml2's line numbers stay right), and its text goes into `lifted`
/// as the N-th entry. ``XMLPushParser`` checks N against its own count, so a document that
/// writes such an attribute itself is refused rather than mixed up. The lifted text is not
/// checked here: it goes to a decoder that accepts only base64 and white space.
///
/// ```swift
/// var lifter = XMLTextLifter()
/// var output: [UInt8] = [], lifted: [[UInt8]] = []
/// let used = lifter.process(chunk, final: false, output: &output, lifted: &lifted)
/// // chunk[used...] must be offered again, with the bytes that follow it.
/// ```
struct XMLTextLifter {
    static let element: StaticString = "binary"
    static let markerAttribute: StaticString = "drugcheck-lifted"

    private enum State {
        case start, markup, text, passThrough
        /// Inside a comment, CDATA section or processing instruction, until its terminator.
        case skipping(until: [UInt8])
    }

    private static let openTag = Array("<\(element)>".utf8)
    private static let closeTag = Array("</\(element)>".utf8)
    private static let marker = Array("<\(element) \(markerAttribute)=\"".utf8)
    private static let commentOpen = Array("<!--".utf8), commentClose = Array("-->".utf8)
    private static let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
    private static let instructionClose = Array("?>".utf8)
    /// The longest construct recognised at a `<` (`<![CDATA[`, `</binary>`).
    private static let lookahead = 9
    /// How far into the file the XML declaration must end for lifting to start.
    private static let declarationLimit = 256

    private var state = State.start
    private var text: [UInt8] = []
    private var liftedCount = 0
    let maxTextBytes: Int

    /// `enabled: false` passes every byte through: the reference the lifting is tested against.
    init(enabled: Bool = true, maxTextBytes: Int = XMLPushParser.maxTextBytes) {
        self.maxTextBytes = maxTextBytes
        if !enabled { state = .passThrough }
    }

    /// Appends to `output` what libxml2 should parse and to `lifted` each text taken out, and
    /// returns how many bytes of `input` were used. Unused bytes (at most a few, an unfinished
    /// construct) must come again at the start of the next call. With `final`, everything is used.
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, final: Bool, output: inout [UInt8], lifted: inout [[UInt8]]) -> Int {
        guard let base = input.baseAddress else { return 0 }
        let n = input.count
        var i = 0
        var copied = 0    // input[copied..<i] is still to be appended to output
        func flush(_ end: Int) {
            if end > copied { output.append(contentsOf: UnsafeBufferPointer(start: base + copied, count: end - copied)) }
            copied = end
        }
        func find(_ byte: UInt8, from: Int) -> Int? {
            guard from < n, let p = memchr(base + from, Int32(byte), n - from) else { return nil }
            return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        func matches(_ pattern: [UInt8], at k: Int) -> Bool {
            k + pattern.count <= n && memcmp(base + k, pattern, pattern.count) == 0
        }
        func search(_ pattern: [UInt8], from: Int) -> Int? {
            var k = from
            while let p = find(pattern[0], from: k) {
                if matches(pattern, at: p) { return p }
                k = p + 1
            }
            return nil
        }
        func giveUp() {
            output.append(contentsOf: Self.openTag)
            output.append(contentsOf: text)
            text.removeAll(keepingCapacity: true)
            state = .markup
        }

        while true {
            switch state {
            case .passThrough:
                flush(n)
                return n
            case .start:
                guard let compatible = Self.liftable(UnsafeBufferPointer(start: base, count: n), final: final) else { return 0 }
                state = compatible ? .markup : .passThrough
            case .markup:
                guard let lt = find(UInt8(ascii: "<"), from: i) else {
                    flush(n)
                    return n
                }
                if n - lt < Self.lookahead && !final {
                    flush(lt)
                    return lt
                }
                switch lt + 1 < n ? base[lt + 1] : 0 {
                case Self.openTag[1] where matches(Self.openTag, at: lt):
                    flush(lt)
                    i = lt + Self.openTag.count
                    copied = i
                    state = .text
                case UInt8(ascii: "!") where matches(Self.commentOpen, at: lt):
                    i = lt + Self.commentOpen.count
                    state = .skipping(until: Self.commentClose)
                case UInt8(ascii: "!") where matches(Self.cdataOpen, at: lt):
                    i = lt + Self.cdataOpen.count
                    state = .skipping(until: Self.cdataClose)
                case UInt8(ascii: "!"):
                    state = .passThrough    // <!DOCTYPE: libxml2 refuses the document
                case UInt8(ascii: "?"):
                    i = lt + 2
                    state = .skipping(until: Self.instructionClose)
                default:
                    i = lt + 1
                }
            case .skipping(let terminator):
                if let end = search(terminator, from: i) {
                    i = end + terminator.count
                    state = .markup
                } else {
                    // The terminator may straddle this chunk and the next: keep its possible start.
                    let keep = final ? n : max(i, n - (terminator.count - 1))
                    flush(keep)
                    return keep
                }
            case .text:
                let lt = find(UInt8(ascii: "<"), from: i)
                let end = lt ?? n
                if memchr(base + i, Int32(UInt8(ascii: "&")), end - i) != nil || text.count + (end - i) > maxTextBytes {
                    giveUp()
                    continue
                }
                text.append(contentsOf: UnsafeBufferPointer(start: base + i, count: end - i))
                i = end
                copied = end
                guard let lt else {
                    if final { giveUp() }
                    return n
                }
                if n - lt < Self.closeTag.count && !final { return lt }
                if matches(Self.closeTag, at: lt) {
                    output.append(contentsOf: Self.marker)
                    output.append(contentsOf: String(liftedCount).utf8)
                    output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ">")])
                    Self.appendLineBreaks(of: text, to: &output)
                    lifted.append(text)
                    text = []
                    liftedCount += 1
                } else {
                    giveUp()
                }
                state = .markup
            }
        }
    }

    /// The CR and LF bytes of `text`, so that libxml2 counts the lines the text had.
    private static func appendLineBreaks(of text: [UInt8], to output: inout [UInt8]) {
        text.withUnsafeBufferPointer { t in
            guard let base = t.baseAddress,
                  memchr(base, 0x0A, t.count) != nil || memchr(base, 0x0D, t.count) != nil else { return }
            output.append(contentsOf: t.lazy.filter { $0 == 0x0A || $0 == 0x0D })
        }
    }

    /// Whether the document's bytes mean what this scanner reads them as; `nil` until enough of
    /// the file has been seen to tell.
    private static func liftable(_ head: UnsafeBufferPointer<UInt8>, final: Bool) -> Bool? {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if head.count < bom.count, bom.starts(with: head), !final { return nil }
        let start = head.starts(with: bom) ? 3 : 0
        guard head.count >= start + 2 else { return final ? false : nil }
        guard head[start] == UInt8(ascii: "<"), head[start + 1] != 0 else { return false }
        let prolog = Array("<?xml".utf8)
        guard head.count >= start + prolog.count else { return final ? false : nil }
        guard head[start...].starts(with: prolog) else { return true }
        let window = head[start..<min(head.count, start + declarationLimit)]
        guard let close = window.firstRange(of: Array("?>".utf8)) else {
            return final || head.count >= start + declarationLimit ? false : nil
        }
        let declaration = String(decoding: window[..<close.lowerBound], as: UTF8.self).lowercased()
        guard let at = declaration.range(of: "encoding") else { return true }
        let rest = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
        let name = rest.prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        return ["utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1"].contains(String(name))
    }
}
