import Logging
import RoleSupport
import ServiceLifecycle

/// The sink as a `Service`: writes and acknowledges until shut down, then takes what the workers already
/// delivered, syncs and acknowledges it, and returns.
public struct SinkService: Service {
    private let configuration: SinkConfiguration
    private let context: RoleContext

    /// Creates the service; nothing is opened until `run()`.
    public init(configuration: SinkConfiguration, logger: Logger) {
        self.configuration = configuration
        self.context = RoleContext(role: "sink", instance: configuration.instance, logger: logger)
    }

    /// Runs until shut down, then drains.
    public func run() async throws {
        let configuration = self.configuration
        let context = self.context
        try await BlockingLoop.run(name: "newsflow-sink") { stop in
            try SinkLoop(config: configuration, context: context).run(stop: stop)
        }
    }
}
