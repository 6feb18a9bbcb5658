import ArgumentParser
import DrugCheckIngest
import Foundation

/// `drugcheck profiles list|show|test`: the mapping profiles that read instrument, LIMS and dataset
/// exports (`Schemas/import-profiles/README.md`).
struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "Mapping profiles for lab exports: list them, show one, or test one on a file.",
        subcommands: [List.self, Show.self, Test.self]
    )

    /// `--profiles DIR`, shared by the subcommands.
    struct Folders: ParsableArguments {
        @Option(name: .customLong("profiles"), help: "Folder with the deployment's own profiles, searched before the bundled ones (repeatable).")
        var directories: [String] = []

        var urls: [URL] { directories.map { URL(fileURLWithPath: $0) } }

        func library() throws -> ProfileLibrary { try ProfileLibrary(directories: urls) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the profiles: name, vendor, and whether files of the format are refused.")

        @OptionGroup var folders: Folders

        func run() throws {
            for profile in try folders.library().profiles {
                let refusal = profile.refuse == nil ? "" : "  (refused: not a drug analysis format)"
                print("\(profile.name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(profile.vendor)\(refusal)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print one profile as JSON.")

        @Argument(help: "Profile name (see 'drugcheck profiles list').")
        var name: String

        @OptionGroup var folders: Folders

        func run() throws {
            print(try JSONOutput.encode(try folders.library().profile(named: name)))
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which profile reads a file, why, and the findings it would give. Imports nothing.",
            discussion: "Exit status 1 when no profile reads the file (the message names the headers found and the nearest profile)."
        )

        @Argument(help: "The lab export to try.")
        var file: String

        @Option(name: .long, help: "Use this profile instead of choosing one from the file's structure.")
        var profile: String?

        @Option(name: .long, help: "Lab code the results would be attributed to.")
        var lab: String?

        @Option(name: .long, help: "Sample id for exports that name none.")
        var sample: String?

        @Option(name: .long, help: "text or json.")
        var format: TestFormat = .text

        @OptionGroup var folders: Folders

        enum TestFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

        func run() throws {
            let options = ImportOptions(labCode: lab, sampleID: sample, profile: profile, profileDirectories: folders.urls)
            let extraction: ProfileExtraction
            do {
                extraction = try LabExportReader.inspect(file: URL(fileURLWithPath: file), options: options)
            } catch let rejection as ImportRejection {
                for problem in rejection.problems { FileHandle.standardError.write(Data("\(file):\(problem)\n".utf8)) }
                throw ExitCode(1)
            }
            switch format {
            case .json: print(try JSONOutput.encode(extraction))
            case .text: print(text(extraction))
            }
        }

        func text(_ e: ProfileExtraction) -> String {
            var lines = ["profile: \(e.profile) (\(e.vendor))", "why: \(e.reason)", "lab: \(lab ?? "none given (importing needs --lab CODE)")",
                         "samples: \(e.samples.count), findings: \(e.findings.count) (\(e.findings.filter(\.detected).count) detected)"]
            lines += e.notes.map { "note: \($0)" }
            for f in e.findings.prefix(200) {
                let amount = f.concentration.map { " \($0)\(f.unit.map { " \($0)" } ?? "")" } ?? ""
                let rt = f.rtMin.map { " RT \($0) min" } ?? ""
                lines.append("  line \(f.line): \(f.sampleID)  \(f.substance)  \(f.detected ? "detected" : "not detected")\(amount)\(rt)  [\(f.technique)]")
            }
            if e.findings.count > 200 { lines.append("  … \(e.findings.count - 200) more (use --format json for all)") }
            return lines.joined(separator: "\n")
        }
    }
}
