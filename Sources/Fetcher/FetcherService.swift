import Foundation
import Logging
import RoleSupport
import ServiceLifecycle

/// The fetcher role as a `Service`: its loop runs on a thread of its own until graceful shutdown, which
/// stops the sources, waits for outstanding acknowledgements (bounded by `fetcher.drain_timeout_ms`) and
/// returns.
public struct FetcherService: Service {
    private let configuration: FetcherConfiguration
    private let logger: Logger

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: FetcherConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "role"] = "fetcher"
        logger[metadataKey: "instance"] = "\(configuration.instance)"
        self.logger = logger
    }

    /// Runs until drained or shut down.
    public func run() async throws {
        let configuration = self.configuration
        let logger = self.logger
        let identity = RoleIdentity(role: "fetcher", instance: configuration.instance)
        let parentWatch = ParentWatch(environment: ProcessInfo.processInfo.environment)
        try await BlockingLoop.run(name: "newsflow-fetcher") { stop in
            let loop = try FetcherLoop(
                config: configuration, identity: identity, logger: logger, parentWatch: parentWatch)
            try loop.run(stop: stop)
        }
    }
}
