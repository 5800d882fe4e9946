import ArgumentParser
import Foundation

/// `newsflow config check|show [FILE]`.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check or show the effective configuration.",
        subcommands: [ConfigCheckCommand.self, ConfigShowCommand.self])

    /// The file to read: the argument, else config/newsflow.yaml when it exists.
    static func file(_ argument: String?) throws -> String? {
        if let argument {
            guard FileManager.default.fileExists(atPath: argument) else {
                throw ValidationError("configuration file \(argument) does not exist")
            }
            return argument
        }
        return FileManager.default.fileExists(atPath: LoadedConfiguration.defaultFile) ? LoadedConfiguration.defaultFile : nil
    }
}

/// `newsflow config check [FILE]`: every problem at once, each naming its key; exit 1 if any.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate every key (types, ranges, endpoints, paths); exit 1 on a problem.")

    @Argument(help: "Configuration file (default: config/newsflow.yaml when it exists).")
    var file: String?

    func run() throws {
        let path = try ConfigCommand.file(file)
        let (_, problems) = ConfigChecker.check(file: path, environment: ProcessInfo.processInfo.environment, flags: [:])
        guard problems.isEmpty else {
            for problem in problems { print("problem: \(problem)") }
            print("\(problems.count) problem(s) in \(path ?? "the defaults and environment")")
            throw ExitCode(1)
        }
        print("configuration OK: \(ConfigSchema.keys.count) keys checked (\(path ?? "defaults and environment"))")
    }
}

/// `newsflow config show [FILE]`: the effective value of every key and where it came from.
struct ConfigShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print every key's effective value and its source (flag, environment, file, default).")

    @Argument(help: "Configuration file (default: config/newsflow.yaml when it exists).")
    var file: String?

    func run() throws {
        let path = try ConfigCommand.file(file)
        let (checker, problems) = ConfigChecker.check(
            file: path, environment: ProcessInfo.processInfo.environment, flags: [:])
        let width = ConfigSchema.keys.map(\.name.count).max() ?? 20
        for key in ConfigSchema.keys {
            let value = checker.value(key)
            let shown = key.isSecret && !value.text.isEmpty ? "<redacted>" : value.text
            let padded = key.name.padding(toLength: width, withPad: " ", startingAt: 0)
            print("\(padded)  \(shown.isEmpty ? "\"\"" : shown)  (\(value.origin.rawValue))")
        }
        if !problems.isEmpty { print("\n\(problems.count) problem(s); run `newsflow config check` for details") }
    }
}
