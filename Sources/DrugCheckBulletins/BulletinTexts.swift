import DrugCheckModel
import Foundation
import Mustache

/// The texts of one bulletin in one language, rendered from the Mustache templates in
/// `Templates/<language>/`.
public struct LocalizedTexts: Codable, Sendable, Equatable {
    public var language: BulletinLanguage
    public var event: String
    public var headline: String
    public var description: String
    public var instruction: String
    /// Region names in the text's language with codes, e.g. `West-Vlaanderen (BE25)`.
    public var areaDescription: String
}

/// Renders bulletin texts from facts with the bundled templates and translations.
///
/// ```swift
/// let texts = try BulletinTexts.bundled.render(bulletin.facts, in: .nl)
/// print(texts.headline)
/// ```
public struct BulletinTexts: Sendable {
    private let templates: [String: MustacheTemplate]
    private let terms: [String: Terms]
    private let clusterBasis: [String: [String: String]]

    struct Terms: Codable {
        var trigger: [String: String]
        var `class`: [String: String]
        var sample_type: [String: String]
        var all_regions: String
    }

    public struct TemplateError: Error, CustomStringConvertible {
        public var description: String
    }

    static let parts = ["event", "headline", "description", "instruction"]

    /// The templates shipped in the module's `Templates` folder.
    public static let bundled: BulletinTexts = {
        do { return try BulletinTexts(directory: Bundle.module.resourceURL!.appendingPathComponent("Templates")) } catch {
            fatalError("bulletin templates are broken: \(error)")
        }
    }()

    public init(directory: URL) throws {
        func read(_ path: String) throws -> Data {
            do { return try Data(contentsOf: directory.appendingPathComponent(path)) } catch {
                throw TemplateError(description: "\(directory.path)/\(path): cannot read (\(error.localizedDescription))")
            }
        }
        var templates: [String: MustacheTemplate] = [:]
        for language in BulletinLanguage.allCases {
            for part in Self.parts {
                let path = "\(language.rawValue)/\(part).mustache"
                do { templates[path] = try MustacheTemplate(string: String(decoding: try read(path), as: UTF8.self)) } catch let e as TemplateError {
                    throw e
                } catch {
                    throw TemplateError(description: "\(directory.path)/\(path): \(error)")
                }
            }
        }
        self.templates = templates
        terms = try JSONDecoder().decode([String: Terms].self, from: try read("terms.json"))
        clusterBasis = try JSONDecoder().decode([String: [String: String]].self, from: try read("cluster.json"))
    }

    /// The name of a report class (`nitazene` → "nitazenes", "nitazènes", …) as bulletins write it.
    public func className(_ reportClass: ReportClass, in language: BulletinLanguage) -> String {
        terms[language.rawValue]?.class[reportClass.rawValue] ?? reportClass.rawValue
    }

    /// The name of a sample type (`vape_refill` → "vape refill", …) as bulletins write it.
    public func sampleTypeName(_ type: String, in language: BulletinLanguage) -> String {
        terms[language.rawValue]?.sample_type[type] ?? type
    }

    /// `West-Vlaanderen (BE25)` for a known NUTS code (``RegionCatalogue``), the text itself otherwise.
    public func regionLabel(_ code: String, in language: BulletinLanguage) -> String {
        RegionCatalogue.bundled.name(of: code, in: language.rawValue).map { "\($0) (\(code))" } ?? code
    }

    public func render(_ facts: BulletinFacts, in language: BulletinLanguage, windowDays: Int = 14) throws -> LocalizedTexts {
        guard let t = terms[language.rawValue] else { throw TemplateError(description: "no terms for \(language.rawValue)") }
        let view = self.view(facts, t, language: language, windowDays: windowDays)
        func run(_ part: String) -> String {
            templates["\(language.rawValue)/\(part).mustache"]!.render(view)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return LocalizedTexts(language: language, event: run("event"), headline: run("headline"), description: run("description"),
                              instruction: run("instruction"), areaDescription: view["regions"] as! String)
    }

    private func view(_ f: BulletinFacts, _ t: Terms, language: BulletinLanguage, windowDays: Int) -> [String: Any] {
        let classes = f.classes.filter { $0 != .anySyntheticOpioid || f.classes.count == 1 }
        let classNames = classes.map { t.class[$0.rawValue] ?? $0.rawValue }
        let substance = f.trigger == .statisticalSignal
            ? (f.signal.map { t.class[$0.reportClass.rawValue] ?? $0.reportClass.rawValue } ?? "")
            : (f.substanceNames.isEmpty ? classNames.first ?? "" : f.substanceNames.joined(separator: ", "))
        let regionLabels = f.regions.map { regionLabel($0, in: language) }
        let basis = f.trigger == .cluster ? (clusterBasis[language.rawValue]?[f.clusterBasis ?? "product"] ?? "") : ""
        return [
            "trigger": t.trigger[f.trigger.rawValue] ?? f.trigger.rawValue,
            "substance": substance,
            "hasSubstance": !f.substanceNames.isEmpty,
            "classes": classNames.joined(separator: ", "),
            "count": f.sampleCount,
            "single": f.sampleCount == 1,
            "sampleTypes": f.sampleTypes.map { t.sample_type[$0.rawValue] ?? $0.rawValue }.joined(separator: ", "),
            "hasProducts": !f.products.isEmpty,
            "products": f.products.joined(separator: " / "),
            "hasSoldAs": !f.soldAs.isEmpty,
            "soldAs": f.soldAs.joined(separator: ", "),
            "regions": regionLabels.isEmpty ? t.all_regions : regionLabels.joined(separator: ", "),
            "labs": f.labs.joined(separator: ", "),
            "firstDate": f.firstDate.description,
            "lastDate": f.lastDate.description,
            "sameDay": f.firstDate == f.lastDate,
            "confidence": f.confidence.label,
            "hasPotency": f.relativePotency != nil,
            "potency": f.relativePotency.map(Self.number) ?? "",
            "potencySource": f.potencySource ?? "",
            "isFirstDetection": f.trigger == .firstDetection,
            "isHighPotency": f.trigger == .highPotency,
            "isUnexpected": f.trigger == .unexpectedAdulteration,
            "isSignal": f.trigger == .statisticalSignal,
            "isCluster": f.trigger == .cluster,
            "isNitazene": f.classes.contains(.nitazene),
            "clusterBasis": basis,
            "windowDays": windowDays,
            "signalMethod": f.signal?.method ?? "",
            "signalWeek": f.signal?.week.description ?? "",
            "observed": f.signal.map { Self.number($0.observed) } ?? "",
            "upperbound": f.signal?.upperbound.map(Self.number) ?? "",
            "isProvisional": (f.provisionalSamples ?? 0) > 0,
            "provisional": f.provisionalSamples ?? 0,
        ]
    }

    /// Whole numbers without decimals, others with up to two.
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.2f", v)
    }
}
