import Foundation
import Logging
import RoleSupport
import ServiceLifecycle

/// A parser worker as a `Service`: connects to the fetcher and the sink and parses until shut down, then
/// finishes the articles it already received.
public struct ParserService: Service {
    private let configuration: ParserConfiguration
    private let logger: Logger

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: ParserConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "role"] = "parser"
        logger[metadataKey: "instance"] = "\(configuration.instance)"
        self.logger = logger
    }

    /// Runs until shut down.
    public func run() async throws {
        let configuration = self.configuration
        let logger = self.logger
        let identity = RoleIdentity(role: "parser", instance: configuration.instance)
        let parentWatch = ParentWatch(environment: ProcessInfo.processInfo.environment)
        try await BlockingLoop.run(name: "newsflow-parser") { stop in
            let loop = ParserWorkerLoop(
                config: configuration, identity: identity, logger: logger, parentWatch: parentWatch)
            try loop.run(stop: stop)
        }
    }
}
