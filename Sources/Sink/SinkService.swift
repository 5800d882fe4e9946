import Foundation
import Logging
import RoleSupport
import ServiceLifecycle

/// The sink as a `Service`: writes and acknowledges until shut down, then takes what the workers already
/// delivered, syncs and acknowledges it, and returns.
public struct SinkService: Service {
    private let configuration: SinkConfiguration
    private let logger: Logger

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: SinkConfiguration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "role"] = "sink"
        logger[metadataKey: "instance"] = "\(configuration.instance)"
        self.logger = logger
    }

    /// Runs until shut down.
    public func run() async throws {
        let configuration = self.configuration
        let logger = self.logger
        let identity = RoleIdentity(role: "sink", instance: configuration.instance)
        let parentWatch = ParentWatch(environment: ProcessInfo.processInfo.environment)
        try await BlockingLoop.run(name: "newsflow-sink") { stop in
            let loop = try SinkLoop(config: configuration, identity: identity, logger: logger, parentWatch: parentWatch)
            try loop.run(stop: stop)
        }
    }
}
