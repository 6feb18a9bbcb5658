import CLibXML2
import DrugCheckModel
import Foundation

/// Receives the SAX2 events of an ``XMLPushParser``. Names are libxml2 dictionary pointers: the
/// same name is always the same pointer during one parse, so a handler can map them once.
/// A thrown error stops the parse and is what ``XMLPushParser/parse(_:)`` throws.
protocol XMLPushHandler: AnyObject {
    func startElement(_ localName: UnsafePointer<xmlChar>, namespaceURI: UnsafePointer<xmlChar>?, attributes: XMLAttributes) throws
    func endElement(_ localName: UnsafePointer<xmlChar>) throws
    /// A piece of character data; one text node may arrive in several pieces.
    func characters(_ bytes: UnsafeBufferPointer<UInt8>) throws
    /// The whole text of an element the ``XMLTextLifter`` took out, right after its start tag,
    /// as an array the handler may keep. By default it goes to ``characters(_:)``.
    func text(_ bytes: [UInt8]) throws
}

extension XMLPushHandler {
    func text(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try characters($0) }
    }
}

/// A forward-only SAX2 push parser over a file, for large streamed formats (mzML): libxml2 is fed
/// 1 MiB chunks with `xmlParseChunk` (read ahead on another thread by ``XMLChunkReader``) and
/// calls back per element, with no tree and no per-node string copies. It replaced
/// ``XMLStreamReader`` for mzML because the `drugcheck bench mzml` profile showed `xmlTextReader`
/// taking half of the time (see BENCHMARKS.md); it cannot validate against a schema, so the
/// schema-validated formats (results XML, AnIML) keep the reader. One parse per instance.
///
/// The same locks as ``XMLStreamReader``:
/// - no network (`XML_PARSE_NONET`), no DTD loading, no entity substitution, libxml2's default
///   size limits on names and attribute values (never `XML_PARSE_HUGE`);
/// - any `<!DOCTYPE …>` stops the parse before its internal subset is read, which rules out XXE
///   and entity-expansion bombs; undeclared entities are fatal errors;
/// - a per-file byte limit, checked on the file size and again on every read;
/// - every error carries the file name, line and column.
///
/// With `liftsText`, an ``XMLTextLifter`` on the read-ahead thread takes the text of plain
/// `<binary>` elements out of the stream, and the handler gets it whole through
/// ``XMLPushHandler/text(_:)`` right after the start tag (mzML: most of the file is that text).
///
/// Character data reaches the handler in pieces, so libxml2's 10,000,000-byte text-node limit
/// (which lives in its tree builder) does not apply here: a handler that keeps text must cap it,
/// as ``XMLPushParser/maxTextBytes`` suggests.
///
/// ```swift
/// let parser = try XMLPushParser(file: url, maxBytes: options.maxBytes)
/// try parser.parse(myHandler)
/// ```
final class XMLPushParser {
    /// libxml2's `XML_MAX_TEXT_LENGTH`, the largest text node it builds without `XML_PARSE_HUGE`.
    static let maxTextBytes = 10_000_000
    static let defaultChunkBytes = 1 << 20

    let url: URL
    private let input: XMLFileInput
    private let errors = XMLErrorCollector()
    // Read on every SAX event by the one parsing thread: no dynamic exclusivity checks.
    @exclusivity(unchecked) private var context: xmlParserCtxtPtr?
    /// Unowned: `parse(_:)` holds the handler for as long as libxml2 may call it.
    @exclusivity(unchecked) private unowned(unsafe) var handler: (any XMLPushHandler)?
    /// The first error thrown by the handler or raised by a DOCTYPE.
    @exclusivity(unchecked) private var failure: (any Error)?
    /// Character data reaches the handler only while this is true: a handler that keeps little
    /// text (mzML keeps only `<binary>`) switches it so the whitespace between elements costs nothing.
    @exclusivity(unchecked) var wantsText = true

    /// Whether the text of `<binary>` elements is taken out before libxml2 sees it (see ``XMLTextLifter``).
    let liftsText: Bool
    let chunkBytes: Int
    /// Texts lifted from the chunks pushed so far, taken in order by their marked start tags.
    @exclusivity(unchecked) private var lifted: [[UInt8]] = []
    @exclusivity(unchecked) private var liftedNext = 0
    @exclusivity(unchecked) private var liftedTaken = 0

    init(file: URL, maxBytes: Int64, liftsText: Bool = false, chunkBytes: Int = XMLPushParser.defaultChunkBytes) throws {
        url = file
        input = try XMLFileInput(url: file, maxBytes: maxBytes)
        self.liftsText = liftsText
        self.chunkBytes = chunkBytes
    }

    /// Pushes the whole file through libxml2, calling `handler` for every event; throws the first
    /// error (the handler's, the byte limit, or libxml2's well-formedness errors).
    /// Returns the number of bytes read; 0 means an empty file.
    @discardableResult
    func parse(_ handler: any XMLPushHandler) throws -> Int64 {
        let reader = XMLChunkReader(input: input, chunkBytes: chunkBytes, lifter: XMLTextLifter(enabled: liftsText))
        defer { reader.close() }
        var chunk = try next(reader)
        guard !(chunk.bytes.isEmpty && chunk.isLast) else { return 0 }
        var sax = Self.handlers()
        let head = min(chunk.bytes.count, 4)    // libxml2 detects the encoding from the first bytes
        let created = chunk.bytes.withUnsafeBytes {
            xmlCreatePushParserCtxt(&sax, Unmanaged.passUnretained(self).toOpaque(), $0.baseAddress?.assumingMemoryBound(to: CChar.self),
                                    Int32(head), url.path)
        }
        guard let ctxt = created else {
            throw ImportRejection("\(url.lastPathComponent): libxml2 could not create a parser")
        }
        context = ctxt
        self.handler = handler
        defer {
            self.handler = nil
            context = nil
            xmlFreeParserCtxt(ctxt)
        }
        xmlCtxtUseOptions(ctxt, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
        var status = push(chunk, from: head, to: ctxt)
        while status == 0, failure == nil, !chunk.isLast {
            chunk = try next(reader)
            status = push(chunk, from: 0, to: ctxt)
        }
        if let failure { throw failure }
        try throwIfFailed(status: status)
        return input.bytesRead
    }

    /// Hands `chunk` (from byte `start`) to libxml2, after queueing the texts lifted out of it.
    private func push(_ chunk: XMLChunkReader.Chunk, from start: Int, to ctxt: xmlParserCtxtPtr) -> Int32 {
        if liftedNext == lifted.count {
            lifted.removeAll(keepingCapacity: true)
            liftedNext = 0
        }
        lifted.append(contentsOf: chunk.lifted)
        return chunk.bytes.withUnsafeBytes { bytes in
            xmlParseChunk(ctxt, bytes.baseAddress.map { $0.assumingMemoryBound(to: CChar.self) + start },
                          Int32(bytes.count - start), chunk.isLast ? 1 : 0)
        }
    }

    /// The next chunk of the file; throws at the byte limit or a read error.
    private func next(_ reader: XMLChunkReader) throws -> XMLChunkReader.Chunk {
        guard let chunk = reader.next() else {
            // The reading thread has stopped, so `input` may be read here.
            if input.limitExceeded {
                throw rejection("file exceeds the limit of \(input.maxBytes) bytes (raise it with --max-bytes)")
            }
            throw rejection("the file could not be read")
        }
        return chunk
    }

    /// A start tag the lifter marked: the handler sees it without the marker, then gets its text.
    /// A marker out of sequence was written by the document itself, which is refused.
    private func startLifted(_ localName: UnsafePointer<xmlChar>, namespaceURI: UnsafePointer<xmlChar>?, attributes: XMLAttributes) {
        deliver { handler in
            guard strcmp(localName, XMLTextLifter.element.utf8Start) == 0,
                  attributes.integer(XMLTextLifter.markerAttribute) == liftedTaken, liftedNext < lifted.count else {
                throw rejection("<\(String(cString: localName))> carries a \(XMLTextLifter.markerAttribute) attribute that DrugCheck did not write")
            }
            let text = lifted[liftedNext]
            lifted[liftedNext] = []
            liftedNext += 1
            liftedTaken += 1
            try handler.startElement(localName, namespaceURI: namespaceURI, attributes: XMLAttributes(pointer: attributes.pointer, count: 0))
            if wantsText {
                try handler.text(text)
            } else if !Self.isCharacterData(text) {
                // libxml2 never saw this text, so what it would have refused is refused here.
                throw rejection("<\(String(cString: localName))> text is not XML character data (a control character or invalid UTF-8)")
            }
        }
    }

    /// Whether libxml2 would accept `text` as the content of an element: UTF-8 of XML 1.0 `Char`s,
    /// without `]]>` (the lifter already keeps `<` and `&` out).
    static func isCharacterData(_ text: [UInt8]) -> Bool {
        guard let string = String(validating: text, as: UTF8.self), !string.contains("]]>") else { return false }
        return string.unicodeScalars.allSatisfy { c in
            c == "\t" || c == "\n" || c == "\r" || (c.value >= 0x20 && c.value != 0xFFFE && c.value != 0xFFFF)
        }
    }

    var line: Int { context?.pointee.input.map { Int($0.pointee.line) } ?? 0 }
    var column: Int { context?.pointee.input.map { Int($0.pointee.col) } ?? 0 }

    /// An error at the current position, prefixed with the file name.
    func rejection(_ message: String) -> ImportRejection {
        ImportRejection(line: line, column: column, "\(url.lastPathComponent): \(message)")
    }

    private func throwIfFailed(status: Int32) throws {
        let problems = errors.problems
        if !problems.isEmpty {
            throw ImportRejection(problems.map {
                ImportProblem(line: $0.line, column: $0.column, message: "\(url.lastPathComponent): \($0.message)")
            })
        }
        if status != 0 { throw rejection("the XML could not be parsed (libxml2 error \(status))") }
    }

    /// Records the first failure and stops libxml2; later events are not delivered.
    private func stop(_ error: any Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    private func deliver(_ body: (any XMLPushHandler) throws -> Void) {
        guard failure == nil, let handler else { return }
        do { try body(handler) } catch { stop(error) }
    }

    /// Runs `body` on the parser behind libxml2's user-data pointer, without retaining it (the
    /// parser outlives its libxml2 context).
    private static func with(_ ctx: UnsafeMutableRawPointer?, _ body: (XMLPushParser) -> Void) {
        Unmanaged<XMLPushParser>.fromOpaque(ctx!)._withUnsafeGuaranteedRef(body)
    }

    /// Only the callbacks DrugCheck needs: no entity, DTD or tree-building handler is installed.
    private static func handlers() -> xmlSAXHandler {
        var h = xmlSAXHandler()
        h.initialized = XML_SAX2_MAGIC
        h.startElementNs = { ctx, localName, _, uri, _, _, count, _, attributes in
            guard let localName else { return }
            let list = XMLAttributes(pointer: attributes, count: Int(count))
            XMLPushParser.with(ctx) { parser in
                if count == 1, parser.liftsText, list.bytes(XMLTextLifter.markerAttribute) != nil {
                    parser.startLifted(localName, namespaceURI: uri, attributes: list)
                } else {
                    parser.deliver { try $0.startElement(localName, namespaceURI: uri, attributes: list) }
                }
            }
        }
        h.endElementNs = { ctx, localName, _, _ in
            guard let localName else { return }
            XMLPushParser.with(ctx) { $0.deliver { try $0.endElement(localName) } }
        }
        h.characters = { ctx, bytes, count in
            guard let bytes, count > 0 else { return }
            XMLPushParser.with(ctx) { parser in
                guard parser.wantsText else { return }
                parser.deliver { try $0.characters(UnsafeBufferPointer(start: bytes, count: Int(count))) }
            }
        }
        h.ignorableWhitespace = h.characters
        h.internalSubset = { ctx, _, _, _ in
            XMLPushParser.with(ctx) { $0.stop($0.rejection("DOCTYPE declarations are not accepted (external entities and entity expansion are refused)")) }
        }
        h.serror = { ctx, error in
            guard let ctx, let error else { return }
            XMLPushParser.with(ctx) { $0.errors.add(error.pointee) }
        }
        return h
    }
}

/// The attributes of one SAX2 start tag, read in place (libxml2 gives five pointers per attribute:
/// local name, prefix, URI, value start, value end).
struct XMLAttributes {
    let pointer: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?
    let count: Int

    /// The raw bytes of attribute `name` (no namespace), without copying.
    func bytes(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        guard let pointer else { return nil }
        for i in 0..<count {
            let a = pointer + 5 * i
            guard let local = a[0], local[0] == name.utf8Start[0], strcmp(local, name.utf8Start) == 0,
                  let start = a[3], let end = a[4] else { continue }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    /// The value of attribute `name` read as a decimal integer, as `Int(_:)` reads a string (an
    /// optional sign, then digits only); `nil` when absent, not a number, or out of range.
    func integer(_ name: StaticString) -> Int? {
        guard let b = bytes(name), !b.isEmpty else { return nil }
        let negative = b[0] == UInt8(ascii: "-")
        let digits = negative || b[0] == UInt8(ascii: "+") ? UnsafeBufferPointer(rebasing: b.dropFirst()) : b
        guard !digits.isEmpty else { return nil }
        var n = 0
        for c in digits {
            let digit = c &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int(digit)) : times10.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return nil }
            n = next
        }
        return n
    }

    /// The value of attribute `name` as a string. Without entity substitution libxml2 hands an
    /// `&` as `&#38;` (every `&` of the value, so the replacement is exact).
    subscript(_ name: StaticString) -> String? {
        guard let b = bytes(name) else { return nil }
        let s = String(decoding: b, as: UTF8.self)
        return b.contains(UInt8(ascii: "&")) ? s.replacingOccurrences(of: "&#38;", with: "&") : s
    }
}
