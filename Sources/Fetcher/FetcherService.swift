import Logging
import RoleSupport
import ServiceLifecycle

/// The fetcher role as a `Service`: its loop runs on a thread of its own until graceful shutdown, which
/// stops the sources, waits for outstanding acknowledgements (bounded by `fetcher.drain_timeout_ms`) and
/// returns.
public struct FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let context: RoleContext

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        self.context = RoleContext(role: "fetcher", instance: configuration.instance, logger: logger)
    }

    /// Runs until shut down (then drains) or, with `exit_when_drained`, until its sources are exhausted.
    public func run() async throws {
        let configuration = self.configuration
        let context = self.context
        try await BlockingLoop.run(name: "newsflow-fetcher") { stop in
            try FetcherLoop(config: configuration, context: context).run(stop: stop)
        }
    }
}
