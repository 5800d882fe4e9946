import ArgumentParser

/// The `newsflow` command: one executable for every role of the pipeline.
@main
struct Newsflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsflow",
        abstract: "A distributed news-ingestion pipeline: fetcher -> parser workers -> sink, over ZeroMQ.",
        subcommands: [
            RunCommand.self, FetcherCommand.self, ParserCommand.self, SinkCommand.self, ParseCommand.self,
            ReplayCommand.self, NERCommand.self, BenchCommand.self, VerifyCommand.self, ConfigCommand.self, StatusCommand.self,
            ScaleCommand.self, KeygenCommand.self,
        ]
    )
}
