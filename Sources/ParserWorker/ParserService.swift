import Logging
import RoleSupport
import ServiceLifecycle

/// A parser worker as a `Service`: connects to the fetcher and the sink and parses until shut down, then
/// finishes the articles it already received.
public struct ParserService: Service {
    private let configuration: ParserConfiguration
    private let context: RoleContext

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: ParserConfiguration, logger: Logger) {
        self.configuration = configuration
        self.context = RoleContext(role: "parser", instance: configuration.instance, logger: logger)
    }

    /// Runs until shut down, then drains.
    public func run() async throws {
        let configuration = self.configuration
        let context = self.context
        try await BlockingLoop.run(name: "newsflow-parser") { stop in
            try ParserWorkerLoop(config: configuration, context: context).run(stop: stop)
        }
    }
}
