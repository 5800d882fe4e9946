import Logging
import ServiceLifecycle

/// Runs services in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
enum RoleRunner {
    static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
