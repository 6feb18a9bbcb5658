import CLibXML2
import DrugCheckModel
import Foundation

/// What kind of node the reader stands on.
public enum XMLNodeKind: Sendable, Equatable {
    case startElement, endElement, text, other
}

/// A forward-only, constant-memory XML reader over libxml2's `xmlTextReader`, locked down for
/// hostile input:
///
/// - no network (`XML_PARSE_NONET`), no DTD loading, no entity substitution, libxml2's default
///   size limits (never `XML_PARSE_HUGE`: a text node over 10 MB is an error);
/// - any `<!DOCTYPE …>` is refused, which rules out XXE and entity-expansion bombs before any
///   entity is referenced;
/// - a per-file byte limit, checked on the file size and again on every read;
/// - every error carries the line and column where libxml2 found it.
///
/// ```swift
/// let reader = try XMLStreamReader(file: url, maxBytes: options.maxBytes)
/// while let kind = try reader.next() {
///     if kind == .startElement, reader.localName == "spectrum" { print(reader.attribute("id") ?? "") }
/// }
/// ```
public final class XMLStreamReader {
    public let url: URL
    private let input: XMLFileInput
    private let reader: xmlTextReaderPtr
    private let errors = XMLErrorCollector()
    private var nameCache: [UnsafePointer<xmlChar>: String] = [:]
    /// Kept alive while the reader validates against it.
    private let schema: XMLSchema?

    /// Opens `file`; with `schema`, every node is also validated against that XSD as it streams by.
    public init(file: URL, maxBytes: Int64, schema: XMLSchema? = nil) throws {
        url = file
        input = try XMLFileInput(url: file, maxBytes: maxBytes)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        guard let r = xmlReaderForIO(XMLFileInput.readCallback, XMLFileInput.closeCallback,
                                     Unmanaged.passUnretained(input).toOpaque(), file.path, nil, options) else {
            throw ImportRejection("\(file.lastPathComponent): libxml2 could not create a reader")
        }
        reader = r
        self.schema = schema
        xmlTextReaderSetStructuredErrorHandler(reader, XMLErrorCollector.callback,
                                               Unmanaged.passUnretained(errors).toOpaque())
        // Every stored property is set: a throw from here on runs deinit, which frees the reader.
        if let schema, xmlTextReaderSetSchema(reader, schema.pointer) != 0 {
            throw ImportRejection("\(file.lastPathComponent): the XML schema could not be attached")
        }
        xmlResetLastError()
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// Moves to the next node; `nil` at the end of the document. Throws on the first error.
    public func next() throws -> XMLNodeKind? {
        let status = xmlTextReaderRead(reader)
        try throwIfFailed(status: status)
        guard status == 1 else { return nil }
        switch xmlTextReaderNodeType(reader) {
        case 1: return .startElement
        case 15: return .endElement
        case 3, 4: return .text
        case 10:
            throw rejection("DOCTYPE declarations are not accepted (external entities and entity expansion are refused)")
        default: return .other
        }
    }

    /// Element depth: the root element is 0.
    public var depth: Int { Int(xmlTextReaderDepth(reader)) }

    /// Local name of the current element, without prefix.
    public var localName: String {
        guard let p = xmlTextReaderConstLocalName(reader) else { return "" }
        if let cached = nameCache[p] { return cached }
        let s = String(cString: p)
        nameCache[p] = s
        return s
    }

    public var namespaceURI: String? {
        xmlTextReaderConstNamespaceUri(reader).map { String(cString: $0) }
    }

    /// `<a/>` rather than `<a></a>`: no end-element node follows.
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The value of attribute `name` on the current element.
    public func attribute(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    /// All attributes of the current element by qualified name.
    public func attributes() -> [String: String] {
        var result: [String: String] = [:]
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return result }
        repeat {
            if let n = xmlTextReaderConstName(reader), let v = xmlTextReaderConstValue(reader) {
                result[String(cString: n)] = String(cString: v)
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
        return result
    }

    /// The bytes of the current text node, without copying them.
    public func withTextBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard let p = xmlTextReaderConstValue(reader) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: p, count: strlen(p)))
    }

    /// The current text node as a string.
    public var text: String {
        xmlTextReaderConstValue(reader).map { String(cString: $0) } ?? ""
    }

    public var line: Int { Int(xmlTextReaderGetParserLineNumber(reader)) }
    public var column: Int { Int(xmlTextReaderGetParserColumnNumber(reader)) }

    /// Bytes of the file consumed so far.
    public var bytesRead: Int64 { input.bytesRead }

    /// An error at the current position, prefixed with the file name.
    public func rejection(_ message: String) -> ImportRejection {
        ImportRejection(line: line, column: column, "\(url.lastPathComponent): \(message)")
    }

    private func throwIfFailed(status: Int32) throws {
        if input.limitExceeded {
            throw rejection("file exceeds the limit of \(input.maxBytes) bytes (raise it with --max-bytes)")
        }
        let problems = errors.problems
        if !problems.isEmpty {
            throw ImportRejection(problems.map {
                ImportProblem(line: $0.line, column: $0.column, message: "\(url.lastPathComponent): \($0.message)")
            })
        }
        if status < 0 {
            // With a schema attached libxml2's SAX plug hides parser errors from the reader's
            // handler (installing it after the schema crashes 2.9), so read the thread's last error.
            if let last = xmlGetLastError()?.pointee, last.level.rawValue >= XML_ERR_ERROR.rawValue {
                let collector = XMLErrorCollector()
                collector.add(last)
                throw ImportRejection(collector.problems.map {
                    ImportProblem(line: $0.line, column: $0.column, message: "\(url.lastPathComponent): \($0.message)")
                })
            }
            throw rejection("the XML could not be parsed")
        }
    }
}

/// Collects libxml2's structured errors (parser and schema validity) for one reader.
final class XMLErrorCollector {
    private(set) var problems: [ImportProblem] = []
    /// More errors than this add nothing for the user.
    static let maximum = 20

    func add(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue, problems.count < Self.maximum else { return }
        let message = error.message.map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "XML error \(error.code)"
        problems.append(ImportProblem(line: Int(error.line), column: Int(error.int2), message: message))
    }

    static let callback: xmlStructuredErrorFunc = { context, error in
        guard let context, let error else { return }
        Unmanaged<XMLErrorCollector>.fromOpaque(context).takeUnretainedValue().add(error.pointee)
    }
}
