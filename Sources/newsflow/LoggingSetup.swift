import Logging
import Observability

/// Sets up swift-log once per process: human-readable lines on standard error at the configured level.
enum LoggingSetup {
    static func bootstrap(level: String) -> Logger {
        MetricsRegistry.bootstrap()
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
        return Logger(label: "newsflow")
    }
}
