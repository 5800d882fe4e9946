import ArgumentParser
import Configuration
import Fetcher
import ParserWorker
import RoleSupport
import Sink

/// `newsflow fetcher`: the fetcher role alone.
struct FetcherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetcher", abstract: "Run the fetcher: watch sources, journal, dispatch to workers.")

    @OptionGroup var options: CommonOptions
    @Option(name: .long, help: "Instance name (config key: fetcher.instance).") var instance: String?
    @Flag(name: .long, help: "Also read articles from standard input (JSON Lines or one plain-text article).")
    var stdin = false
    @Flag(name: .long, help: "Exit 0 once the sources are exhausted and every article is acknowledged.")
    var exitWhenDrained = false

    func run() async throws {
        var flags: [String: String] = [:]
        if let instance { flags["fetcher.instance"] = instance }
        if stdin { flags["fetcher.stdin.enabled"] = "true" }
        if exitWhenDrained { flags["fetcher.exit_when_drained"] = "true" }
        let loaded = try await LoadedConfiguration.load(options, flags: flags)
        let logger = LoggingSetup.bootstrap(level: loaded.logLevel, format: loaded.logFormat)
        var configuration = FetcherConfiguration(config: loaded.reader, layout: loaded.layout)
        configuration.security = try TransportSecurity(config: loaded.reader)
        try await RoleRunner.runRole(FetcherService(configuration: configuration, logger: logger),
                                     instance: configuration.instance, loaded: loaded, logger: logger)
    }
}

/// `newsflow parser`: one parser worker.
struct ParserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parser", abstract: "Run one parser worker: raw articles from the fetcher, records to the sink.")

    @OptionGroup var options: CommonOptions
    @Option(name: .long, help: "Instance name (config key: parser.instance).") var instance: String?

    func run() async throws {
        var flags: [String: String] = [:]
        if let instance { flags["parser.instance"] = instance }
        let loaded = try await LoadedConfiguration.load(options, flags: flags)
        let logger = LoggingSetup.bootstrap(level: loaded.logLevel, format: loaded.logFormat)
        var configuration = ParserConfiguration(config: loaded.reader, layout: loaded.layout)
        configuration.security = try TransportSecurity(config: loaded.reader)
        try await RoleRunner.runRole(ParserService(configuration: configuration, logger: logger),
                                     instance: configuration.instance, loaded: loaded, logger: logger)
    }
}

/// `newsflow sink`: the storage sink.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink", abstract: "Run the sink: write records to out/ and failures to dead-letter/, then ack.")

    @OptionGroup var options: CommonOptions
    @Option(name: .long, help: "Instance name (config key: sink.instance).") var instance: String?

    func run() async throws {
        var flags: [String: String] = [:]
        if let instance { flags["sink.instance"] = instance }
        let loaded = try await LoadedConfiguration.load(options, flags: flags)
        let logger = LoggingSetup.bootstrap(level: loaded.logLevel, format: loaded.logFormat)
        var configuration = SinkConfiguration(config: loaded.reader, layout: loaded.layout)
        configuration.security = try TransportSecurity(config: loaded.reader)
        try await RoleRunner.runRole(SinkService(configuration: configuration, logger: logger),
                                     instance: configuration.instance, loaded: loaded, logger: logger)
    }
}
