import ArgumentParser
import DrugCheckBulletins
import DrugCheckImport
import DrugCheckIngest
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Import the exports instruments and LIMS write into a drop folder.",
        discussion: """
            Each new file in DIR is imported once it is complete: a NAME.done marker beside it, or its \
            size unchanged for --settle seconds. It then moves to DIR/processed/, or to DIR/rejected/ \
            with NAME.errors.txt beside it listing every problem as file:line:column: message (fix the \
            file, or register its samples, and drop it again). A file in a subfolder belongs to the lab \
            the subfolder names (DIR/BE-NICC/run-47.csv); a file at the top to --lab, or to the lab \
            it names. Files go through the same import as 'drugcheck import' (format or mapping profile \
            chosen from the content); after each pass the bulletin triggers are evaluated.

            Safe to stop at any moment: a file is imported whole or not at all, and a file imported \
            but not yet moved is recognised by its content on the next start and moved, never \
            imported twice.

            Exit status with --once: 0 when every file was imported (or already was), 1 when any was rejected.
            """
    )

    @Argument(help: "The drop folder.")
    var folder: String

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var deployment: DeploymentOptions

    @Option(name: .long, help: "Lab of the files at the top of the folder (subfolders name their own lab).")
    var lab: String?

    @Flag(name: .long, help: "Process what is in the folder now and exit (for cron and tests).")
    var once = false

    @Option(name: .long, help: "Seconds a file's size must stay unchanged before it is imported (without a .done marker).")
    var settle: Double = 3

    @Option(name: .long, help: "Seconds between scans of the folder.")
    var interval: Double = 2

    @Option(name: .long, help: "Folder with the deployment's own mapping profiles (searched before the bundled ones).")
    var profiles: String?

    @Option(name: .long, help: "JSON file with the bulletin trigger settings (as for 'drugcheck serve --bulletin-config').")
    var bulletinConfig: String?

    @Flag(name: .long, help: "Do not evaluate the bulletin triggers after each pass.")
    var noBulletinScan = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no such folder: \(folder) (create it, then point instruments and the LIMS at it)")
        }
        guard settle >= 0, interval > 0 else { throw ValidationError("--settle must be 0 or more and --interval above 0 seconds") }
    }

    func run() throws {
        let pipeline = try deployment.pipeline(on: database, bulletinConfig: bulletinConfig, scan: !noBulletinScan)
        var drop = DropFolder(root: URL(fileURLWithPath: folder), pipeline: pipeline, labCode: lab)
        drop.settle = settle
        drop.options.importedBy = "watch:" + drop.root.lastPathComponent
        drop.options.profileDirectories = profiles.map { [URL(fileURLWithPath: $0)] } ?? []
        let log = WatchLog()
        log.line("watching \(drop.root.path)\(once ? " (once)" : ""), lab \(lab ?? "from subfolder or file")")
        let (handled, waiting) = try drop.watch(once ? .once : .forever(interval: interval), progress: ProgressDisplay.standardError(),
                                                handled: { log.line(DropFolder.summary($0, root: drop.root)) },
                                                observed: { reports in
                                                    for r in reports { log.line(r.summary ?? "warning: the import stands, but the \(r.observer) failed: \(r.failure ?? "")") }
                                                })
        for file in waiting { log.line("\(file.relativePath): still being written, left for the next run") }
        if handled.contains(where: { $0.result.outcome == .rejected }) { throw ExitCode(1) }
    }
}

/// Timestamped lines on standard output, one per event.
struct WatchLog {
    func line(_ text: String) {
        // Written at once (not buffered by print), so a log follower sees each line as it happens.
        FileHandle.standardOutput.write(Data("\(Date().formatted(.iso8601)) \(text)\n".utf8))
    }
}
