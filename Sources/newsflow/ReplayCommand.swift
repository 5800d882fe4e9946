import ArgumentParser
import Configuration
import Fetcher
import Foundation
import RoleSupport
import Supervisor

#if canImport(Glibc)
import Glibc
#endif

/// `newsflow replay SOURCE... --to DIR`: sends a stored stream through the pipeline again.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Send stored streams (journal folders or segments, previous out/ folders or files, plain or gzip) through the pipeline again.",
        discussion: """
            Standalone: starts its own sink and parser workers with DIR as their data folder, replays, waits \
            until every article is in DIR/out or DIR/dead-letter, and exits 0. Records say source.kind \
            "replay" and keep the original id and fetch time. Interrupted, it continues with --resume.
            """)

    @Argument(help: "Journal folders or segments, out/ folders or files (*.jsonl, *.jsonl.gz).")
    var sources: [String]

    @Option(name: .long, help: "Standalone: the data folder the replay writes into (its out/ and dead-letter/).")
    var to: String?

    @Option(name: .long, help: "Into a running pipeline instead: its fetcher's submit endpoint (e.g. ipc://data/run/submit.sock).")
    var via: String?

    @Option(name: .long, help: "With --via: where the resume position is kept.")
    var state: String = "replay-via.position"

    @Option(name: .long, help: "Only articles at or after this time (RFC 3339 or YYYY-MM-DD).")
    var since: String?

    @Option(name: .long, help: "Only articles before this time (RFC 3339 or YYYY-MM-DD).")
    var until: String?

    @Option(name: .long, help: "Which time --since/--until compare: fetched (default) or published.")
    var time: String = "fetched"

    @Option(name: .long, help: "Only articles first fetched from this kind of source (dir, zmq, stdin, ...).")
    var source: String?

    @Option(name: .long, help: "Only the ids listed in this file, one per line.")
    var ids: String?

    @Option(name: .long, help: "Only articles whose title contains this text (case-insensitive).")
    var match: String?

    @Option(name: .long, help: "At most this many articles per second (default: as fast as the pipeline takes them).")
    var rate: Double?

    @Option(name: .long, help: "Reproduce the original timing, this many times faster.")
    var speed: Double?

    @Flag(name: .long, help: "Continue an interrupted replay into the same --to folder.")
    var resume = false

    @Option(name: .long, help: "Parser workers for the replay.")
    var parsers: Int?

    @Option(name: .long, help: "Configuration file (YAML).")
    var config: String?

    @Option(name: .long, help: "Log level.")
    var logLevel: String?

    func validate() throws {
        guard ["fetched", "published"].contains(time) else {
            throw ValidationError("--time takes fetched or published")
        }
        guard (to == nil) != (via == nil) else {
            throw ValidationError("give either --to DIR (standalone) or --via ENDPOINT (into a running pipeline)")
        }
        for source in sources where !FileManager.default.fileExists(atPath: source) {
            throw ValidationError("replay source \(source) does not exist")
        }
    }

    func run() async throws {
        if let via {
            try await replayVia(via)
            return
        }
        // The replay settings reach the fetcher child through the environment it inherits.
        let absolute = sources.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        var environment: [String: String] = [
            "NEWSFLOW_FETCHER_REPLAY_SOURCES": absolute.joined(separator: ","),
            "NEWSFLOW_FETCHER_REPLAY_TIME": time,
            "NEWSFLOW_FETCHER_REPLAY_RESUME": resume ? "true" : "false",
            "NEWSFLOW_FETCHER_INBOX_ENABLED": "false",
            "NEWSFLOW_FETCHER_EXIT_WHEN_DRAINED": "true",
        ]
        environment["NEWSFLOW_FETCHER_REPLAY_SINCE"] = since
        environment["NEWSFLOW_FETCHER_REPLAY_UNTIL"] = until
        environment["NEWSFLOW_FETCHER_REPLAY_SOURCE"] = source
        environment["NEWSFLOW_FETCHER_REPLAY_IDS_FILE"] = ids.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        environment["NEWSFLOW_FETCHER_REPLAY_MATCH"] = match
        environment["NEWSFLOW_FETCHER_REPLAY_RATE"] = rate.map { String($0) }
        environment["NEWSFLOW_FETCHER_REPLAY_SPEED"] = speed.map { String($0) }
        for (key, value) in environment { setenv(key, value, 1) }

        // Parsed rather than assigned field by field, so every option (present and future) is initialized.
        var arguments = ["--data-dir", to ?? "./data"]
        if let config { arguments += ["--config", config] }
        if let logLevel { arguments += ["--log-level", logLevel] }
        let options = try CommonOptions.parse(arguments)
        var flags: [String: String] = ["fetcher.exit_when_drained": "true"]
        if let parsers { flags["parsers"] = "\(parsers)" }
        let loaded = try await LoadedConfiguration.load(options, flags: flags)
        let logger = LoggingSetup.bootstrap(level: loaded.logLevel, format: loaded.logFormat)
        try loaded.layout.create()
        let supervisor = SupervisorService(
            configuration: SupervisorConfiguration(config: loaded.reader), layout: loaded.layout,
            executable: RunCommand.executablePath(), sharedArguments: loaded.sharedArguments, logger: logger)
        try await RoleRunner.run([supervisor], logger: logger)
    }

    /// Through a running pipeline: submit to its fetcher and wait for each article to be accepted.
    private func replayVia(_ endpoint: String) async throws {
        var filter = ReplayReader.Filter()
        filter.since = since.flatMap(ReplayTime.parse)
        filter.until = until.flatMap(ReplayTime.parse)
        filter.onPublished = time == "published"
        filter.sourceKind = source
        if let ids, let text = try? String(contentsOfFile: ids, encoding: .utf8) {
            filter.ids = Set(text.split(whereSeparator: \.isNewline).map(String.init))
        }
        filter.match = match
        let logger = LoggingSetup.bootstrap(level: logLevel ?? "info")
        var settings = ReplayClient.Settings(
            paths: sources.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, filter: filter,
            endpoint: endpoint, positionFile: URL(fileURLWithPath: state), resume: resume, rate: rate ?? 0)
        // With --config, the file's security.* keys make this a CURVE client of the running pipeline.
        if let config {
            let options = try CommonOptions.parse(["--config", config])
            settings.security = try TransportSecurity(config: try await LoadedConfiguration.load(options, check: false).reader)
        }
        let client = ReplayClient(settings: settings, logger: logger)
        let accepted = try await client.run()
        print("replay: \(accepted) articles accepted by the running pipeline at \(endpoint)")
    }
}
