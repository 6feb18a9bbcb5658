import CLibXML2
import DrugCheckModel
import Foundation

/// A compiled RELAX NG grammar (XML syntax), for formats whose normative schema is RELAX NG
/// rather than XSD, such as Atom 1.0 (RFC 4287 Appendix B, `Schemas/atom/atom-rfc4287.rng`).
///
/// The grammar is compiled from memory and documents are parsed with the same safe settings as
/// ``XMLStreamReader``: no network, no DTD loading, no entity substitution.
///
/// ```swift
/// let atom = try RelaxNGSchema(rng: String(contentsOfFile: "Schemas/atom/atom-rfc4287.rng"), name: "atom")
/// try atom.validate(feedText)   // throws ImportRejection with line and column
/// ```
public final class RelaxNGSchema: @unchecked Sendable {
    // Immutable once compiled; each validation gets its own context.
    private let pointer: xmlRelaxNGPtr
    public let name: String

    public init(rng: String, name: String) throws {
        self.name = name
        let errors = XMLErrorCollector()
        let compiled: xmlRelaxNGPtr? = rng.withCString { text in
            guard let context = xmlRelaxNGNewMemParserCtxt(text, Int32(rng.utf8.count)) else { return nil }
            defer { xmlRelaxNGFreeParserCtxt(context) }
            xmlRelaxNGSetParserStructuredErrors(context, XMLErrorCollector.callback, Unmanaged.passUnretained(errors).toOpaque())
            return xmlRelaxNGParse(context)
        }
        guard let compiled else {
            throw ImportRejection("RELAX NG grammar \(name) does not compile: \(errors.problems.map(\.description).joined(separator: "; "))")
        }
        pointer = compiled
    }

    deinit {
        xmlRelaxNGFree(pointer)
    }

    /// Streams `xml` through libxml2's reader with this grammar attached; throws every problem
    /// found (up to ``XMLErrorCollector/maximum``) with its line and column.
    public func validate(_ xml: String) throws {
        let errors = XMLErrorCollector()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        let valid: Bool = xml.withCString { text in
            guard let reader = xmlReaderForMemory(text, Int32(xml.utf8.count), name, nil, options) else { return false }
            defer { xmlFreeTextReader(reader) }
            xmlTextReaderSetStructuredErrorHandler(reader, XMLErrorCollector.callback, Unmanaged.passUnretained(errors).toOpaque())
            guard xmlTextReaderRelaxNGSetSchema(reader, pointer) == 0 else { return false }
            var status: Int32 = 1
            while status == 1 { status = xmlTextReaderRead(reader) }
            return status == 0 && xmlTextReaderIsValid(reader) == 1
        }
        guard valid, errors.problems.isEmpty else {
            throw errors.problems.isEmpty ? ImportRejection("\(name): the document is not valid") : ImportRejection(errors.problems)
        }
    }
}
