import ArgumentParser

/// Options every pipeline subcommand takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (YAML). Default: config/newsflow.yaml when it exists.")
    var config: String?

    @Option(name: .long, help: "Data folder (inbox/, journal/, out/, dead-letter/, state/, run/). Default: ./data")
    var dataDir: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .long, help: "Log lines: human, json, or auto (human on a terminal, JSON otherwise).")
    var logFormat: String?
}
