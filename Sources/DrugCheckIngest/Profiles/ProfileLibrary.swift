import Foundation

/// The mapping profiles a deployment can use: its own folders first (`--profiles DIR`), then the
/// ones bundled with DrugCheck (`Schemas/import-profiles/`). A deployment profile with a bundled
/// profile's name replaces it.
///
/// ```swift
/// let library = try ProfileLibrary(directories: options.profileDirectories)
/// let masshunter = try library.profile(named: "agilent-masshunter-quant")
/// ```
public struct ProfileLibrary: Sendable {
    public let profiles: [ImportProfile]

    public init(directories: [URL] = []) throws {
        var byName: [String: ImportProfile] = [:]
        var order: [String] = []
        for directory in directories + [Self.bundledDirectory].compactMap({ $0 }) {
            for profile in try Self.load(directory) where byName[profile.name] == nil {
                byName[profile.name] = profile
                order.append(profile.name)
            }
        }
        profiles = order.compactMap { byName[$0] }
    }

    /// The folder of bundled profiles inside the binary's resources.
    public static var bundledDirectory: URL? {
        Bundle.module.url(forResource: "import-profiles", withExtension: nil)
    }

    /// Every `*.json` file of a folder, sorted by name; a file that is no valid profile is an error
    /// naming the file.
    public static func load(_ directory: URL) throws -> [ImportProfile] {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { file in
            do {
                return try JSONDecoder().decode(ImportProfile.self, from: Data(contentsOf: file))
            } catch {
                throw ImportRejection("the import profile \(file.path) cannot be read: \(error). See Schemas/import-profiles/README.md")
            }
        }
    }

    public func profile(named name: String) throws -> ImportProfile {
        guard let profile = profiles.first(where: { $0.name == name }) else {
            throw ImportRejection("no import profile named '\(name)'; known profiles: \(profiles.map(\.name).joined(separator: ", "))")
        }
        return profile
    }
}
