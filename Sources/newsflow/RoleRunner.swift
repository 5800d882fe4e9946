import Foundation
import Logging
import Observability
import RoleSupport
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Runs services in one `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
enum RoleRunner {
    /// Runs a role with its metrics: exported to `run/metrics-<instance>.prom` for the supervisor when
    /// supervised, else served on `metrics.host:metrics.port` (unless the port is -1).
    static func runRole(_ service: any Service, instance: String, loaded: LoadedConfiguration, logger: Logger) async throws {
        var services: [any Service] = [service]
        if ProcessInfo.processInfo.environment["NEWSFLOW_SUPERVISOR_PID"] != nil {
            services.append(MetricsExporter(url: loaded.layout.run.appendingPathComponent("metrics-\(instance).prom")))
        } else {
            let port = loaded.reader.int(forKey: "metrics.port", default: 9464)
            if port >= 0 {
                services.append(MetricsServer(host: loaded.reader.string(forKey: "metrics.host", default: "127.0.0.1"), port: port,
                                              notReadyReason: { RoleReadiness.notReadyReason }))
            }
        }
        // SIGHUP (forwarded by the supervisor on reload) re-reads the log level; nothing else changes live.
        let hangups = SignalWatcher(signal: SIGHUP) {
            let (checker, _) = ConfigChecker.check(
                file: loaded.file, environment: ProcessInfo.processInfo.environment, flags: loaded.flags)
            if let key = ConfigSchema.key(named: "log.level"), let level = Logger.Level(rawValue: checker.value(key).text) {
                LogLevelControl.level = level
            }
        }
        defer { hangups.cancel() }
        try await run(services, logger: logger)
    }

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
