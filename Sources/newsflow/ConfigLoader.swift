import Configuration
import Foundation
import RoleSupport
import SystemPackage

/// Builds the layered configuration once, in the CLI: flags > environment (`NEWSFLOW_*`) > file > defaults.
///
/// Environment variables are the key in capitals with `.` as `_`, behind `NEWSFLOW_`: `parsers` is
/// `NEWSFLOW_PARSERS`, `sink.fsync_ms` is `NEWSFLOW_SINK_FSYNC_MS`.
struct LoadedConfiguration {
    var reader: ConfigReader
    var layout: DataLayout
    /// The configuration file used, if any (absolute path).
    var file: String?
    /// The arguments that give a child process the same file, data folder and log level.
    var sharedArguments: [String]
    var logLevel: String
    var logFormat: String
    /// The command-line values by key.
    var flags: [String: String] = [:]

    static let defaultFile = "config/newsflow.yaml"

    /// The effective value of every key, as text (what SIGHUP compares).
    var effectiveValues: [String: String] {
        let (checker, _) = ConfigChecker.check(file: file, environment: ProcessInfo.processInfo.environment, flags: flags)
        return Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.name, checker.value($0).text) })
    }

    /// Loads and checks the configuration; refuses (throws, listing every problem) when it is invalid.
    /// `flags` are command-line values by key, e.g. `["parsers": "4"]`.
    static func load(_ options: CommonOptions, flags: [String: String] = [:], check: Bool = true) async throws
        -> LoadedConfiguration
    {
        var flags = flags
        if let dataDir = options.dataDir { flags["data_dir"] = dataDir }
        if let level = options.logLevel { flags["log.level"] = level }
        if let format = options.logFormat { flags["log.format"] = format }
        var flagValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, text) in flags {
            let content: ConfigContent
            if let number = Int(text) {
                content = .int(number)
            } else if text == "true" || text == "false" {
                content = .bool(text == "true")
            } else {
                content = .string(text)
            }
            flagValues[AbsoluteConfigKey(key.split(separator: ".").map(String.init))] = ConfigValue(content, isSecret: false)
        }
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: flagValues),
            EnvironmentVariablesProvider().prefixKeys(with: "newsflow"),
        ]
        var file: String? = nil
        if let path = options.config {
            guard FileManager.default.fileExists(atPath: path) else {
                throw RoleError(.configuration, "configuration file \(path) does not exist")
            }
            file = path
        } else if FileManager.default.fileExists(atPath: defaultFile) {
            file = defaultFile
        }
        if check {
            let (_, problems) = ConfigChecker.check(
                file: file, environment: ProcessInfo.processInfo.environment, flags: flags)
            if !problems.isEmpty {
                throw RoleError(.configuration, "the configuration has \(problems.count) problem(s); nothing was started:\n"
                    + problems.map { "  \($0)" }.joined(separator: "\n"))
            }
        }
        if let file {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
            } catch {
                throw RoleError(.configuration, "cannot read configuration file \(file): fix its YAML", underlying: error)
            }
        }
        let reader = ConfigReader(providers: providers)
        let dataDir = reader.string(forKey: "data_dir", default: "./data")
        let layout = DataLayout(path: dataDir)
        let absoluteFile = file.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let level = reader.string(forKey: "log.level", default: "info")
        let format = reader.string(forKey: "log.format", default: "auto")
        var shared = ["--data-dir", layout.root.path, "--log-level", level]
        // Children write to the supervisor's standard error: they follow its choice of format.
        if format != "auto" { shared += ["--log-format", format] }
        if let absoluteFile { shared += ["--config", absoluteFile] }
        return LoadedConfiguration(
            reader: reader, layout: layout, file: absoluteFile, sharedArguments: shared, logLevel: level, logFormat: format,
            flags: flags)
    }
}
