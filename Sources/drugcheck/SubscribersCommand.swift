import ArgumentParser
import DrugCheckBulletins
import DrugCheckModel
import DrugCheckStore
import Foundation

struct SubscribersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers",
        abstract: "Who receives published bulletins by signed webhook.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a webhook subscriber with filters.",
            discussion: "Deliveries are signed: X-DrugCheck-Signature = sha256=HMAC-SHA256(secret, timestamp + \".\" + body).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "A unique name, e.g. poison-centre.") var name: String
        @Option(name: .long, help: "Webhook URL (http or https).") var url: String
        @Option(name: .long, help: "Shared signing secret (default: $DRUGCHECK_WEBHOOK_SECRET).") var secret: String?
        @Option(name: .long, help: "cap or json.") var format: String = "cap"
        @Option(name: .long, parsing: .upToNextOption, help: "Report classes of interest (default: all).") var classes: [String] = []
        @Option(name: .long, parsing: .upToNextOption, help: "Region code prefixes, e.g. BE2 (default: all).") var regions: [String] = []
        @Option(name: .long, help: "Minimum CAP severity: Minor, Moderate, Severe or Extreme.") var minSeverity: String = "Unknown"
        @Option(name: .long, parsing: .upToNextOption, help: "Languages: en nl fr de (default: all).") var langs: [BulletinLanguage] = []

        func run() throws {
            guard let secret = secret ?? ProcessInfo.processInfo.environment["DRUGCHECK_WEBHOOK_SECRET"] else {
                throw ValidationError("--secret or DRUGCHECK_WEBHOOK_SECRET is required")
            }
            guard let format = Subscriber.Format(rawValue: format) else { throw ValidationError("--format: expected cap or json") }
            guard let severity = CAPSeverity(rawValue: minSeverity) else {
                throw ValidationError("--min-severity: expected Minor, Moderate, Severe or Extreme")
            }
            let classes = try self.classes.map { c in
                guard let v = ReportClass(rawValue: c) else {
                    throw ValidationError("--classes: unknown class \(c); expected \(ReportClass.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return v
            }
            do {
                let id = try Subscribers(writer: try database.writer()).add(Subscriber(
                    name: name, url: url, secret: secret, format: format, classes: classes, regions: regions,
                    minimumSeverity: severity, languages: langs))
                print("subscriber \(name) added (id \(id))")
            } catch let error as Subscribers.InvalidSubscriber {
                throw ValidationError(error.description)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscribers and their filters (secrets are not shown).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            for s in try Subscribers.list(from: try database.reader()) {
                let classes = s.classes.isEmpty ? "all classes" : s.classes.map(\.rawValue).joined(separator: ",")
                let regions = s.regions.isEmpty ? "all regions" : s.regions.joined(separator: ",")
                let langs = s.effectiveLanguages.map(\.rawValue).joined(separator: ",")
                print("\(s.name)\t\(s.url)\t\(s.format.rawValue)\t\(classes)\t\(regions)\t>= \(s.minimumSeverity.rawValue)\t\(langs)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a subscriber and its queued deliveries.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Subscriber name.") var name: String

        func run() throws {
            guard try Subscribers(writer: try database.writer()).remove(name: name) else { throw ValidationError("no subscriber \(name)") }
            print("subscriber \(name) removed")
        }
    }
}
