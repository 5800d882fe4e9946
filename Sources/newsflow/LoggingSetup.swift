import Foundation
import Logging
import Observability

#if canImport(Glibc)
import Glibc
#endif

/// Sets up swift-log and swift-metrics once per process: log lines on standard error at the configured
/// level, human-readable on a terminal and JSON otherwise (`log.format`: auto, human, json).
enum LoggingSetup {
    static func bootstrap(level: String, format: String = "auto") -> Logger {
        MetricsRegistry.bootstrap()
        LogLevelControl.level = Logger.Level(rawValue: level.lowercased()) ?? .info
        let chosen: NewsflowLogHandler.Format
        switch format {
        case "json": chosen = .json
        case "human": chosen = .human
        default: chosen = isatty(STDERR_FILENO) == 1 ? .human : .json
        }
        LoggingSystem.bootstrap { label in NewsflowLogHandler(label: label, format: chosen) }
        return Logger(label: "newsflow")
    }
}
