import Logging
import ServiceLifecycle

/// Runs services in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
enum RoleRunner {
    static func run(_ services: [any Service], logger: Logger) async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map {
                    // A role that finishes on its own (a drained fetcher) ends the process normally.
                    ServiceGroupConfiguration.ServiceConfiguration(
                        service: $0, successTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
