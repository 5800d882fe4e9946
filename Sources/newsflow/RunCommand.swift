import ArgumentParser
import Configuration
import Foundation
import Supervisor

/// `newsflow run`: the supervisor and the whole pipeline from one configuration.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run the whole pipeline (sink, parser workers, fetcher) under a supervisor.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Number of parser workers (config key: parsers).")
    var parsers: Int?

    @Flag(name: .long, help: "Ingest what is in inbox/, wait until every article is in out/ or dead-letter/, then exit 0.")
    var exitWhenDrained = false

    func run() async throws {
        var flags: [String: String] = [:]
        if let parsers { flags["parsers"] = "\(parsers)" }
        if exitWhenDrained { flags["fetcher.exit_when_drained"] = "true" }
        let loaded = try await LoadedConfiguration.load(options, flags: flags)
        let logger = LoggingSetup.bootstrap(level: loaded.logLevel, format: loaded.logFormat)
        try loaded.layout.create()
        let options = self.options
        let reloadFlags = flags
        let supervisor = SupervisorService(
            configuration: SupervisorConfiguration(config: loaded.reader), layout: loaded.layout,
            executable: Self.executablePath(), sharedArguments: loaded.sharedArguments, logger: logger,
            values: loaded.effectiveValues,
            reloader: {
                do {
                    let again = try await LoadedConfiguration.load(options, flags: reloadFlags)
                    return .success((SupervisorConfiguration(config: again.reader), again.effectiveValues, again.logLevel))
                } catch {
                    return .failure(error)
                }
            })
        try await RoleRunner.run([supervisor], logger: logger)
    }

    /// This very executable, so children run the same build.
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
