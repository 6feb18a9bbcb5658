import CLibXML2
import Foundation

/// A compiled W3C XML Schema (XSD), used to validate documents while ``XMLStreamReader`` streams them.
///
/// The schema text is compiled from memory, so nothing is fetched from disk or network at run
/// time; an XSD that imports or includes another file is not supported here.
///
/// ```swift
/// let schema = try XMLSchema(xsd: ResultsSchemaText.xsd, name: "drugcheck-results-1.0.xsd")
/// let reader = try XMLStreamReader(file: url, maxBytes: 1 << 30, schema: schema)
/// ```
public final class XMLSchema: @unchecked Sendable {
    // Immutable once compiled; libxml2 allows one schema to serve several validation contexts.
    let pointer: xmlSchemaPtr

    public init(xsd: String, name: String) throws {
        let errors = XMLErrorCollector()
        var bytes = Array(xsd.utf8)
        let compiled: xmlSchemaPtr? = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let context = xmlSchemaNewMemParserCtxt(chars.baseAddress, Int32(chars.count)) else { return nil }
                defer { xmlSchemaFreeParserCtxt(context) }
                xmlSchemaSetParserStructuredErrors(context, XMLErrorCollector.callback,
                                                   Unmanaged.passUnretained(errors).toOpaque())
                return xmlSchemaParse(context)
            }
        }
        guard let compiled else {
            let detail = errors.problems.map(\.description).joined(separator: "; ")
            throw ImportRejection("schema \(name) does not compile: \(detail)")
        }
        pointer = compiled
    }

    deinit {
        xmlSchemaFree(pointer)
    }
}
