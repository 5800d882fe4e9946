import Configuration
import RoleSupport

/// Everything the supervisor reads from the configuration.
public struct SupervisorConfiguration: Sendable {
    /// Number of parser workers to run.
    public var parsers: Int
    /// First restart delay after a child exits unexpectedly (ms); doubles on each quick failure.
    public var restartBackoffMilliseconds: Int
    /// Longest restart delay (ms).
    public var restartBackoffMaxMilliseconds: Int
    /// How long each stage of an orderly stop may take before its processes are killed (ms).
    public var stopTimeoutMilliseconds: Int
    /// Exit once the fetcher reports that its sources are exhausted and everything is acknowledged.
    public var exitWhenDrained: Bool
    /// Address of `/metrics`, `/healthz`, `/readyz`, `/status`.
    public var metricsHost: String
    /// Port of the same (0: any free port; the port used is written to `run/supervisor.port`; -1: off).
    public var metricsPort: Int

    /// Reads the supervisor's configuration.
    ///
    /// Keys:
    /// - `parsers` (int, default 2)
    /// - `supervisor.restart_backoff_ms` (int, default 500)
    /// - `supervisor.restart_backoff_max_ms` (int, default 30000)
    /// - `supervisor.stop_timeout_ms` (int, default 20000)
    /// - `fetcher.exit_when_drained` (bool, default false)
    /// - `metrics.host` (string, default 127.0.0.1)
    /// - `metrics.port` (int, default 9464; 0 any free port; -1 off)
    public init(config: ConfigReader) {
        self.parsers = max(1, config.int(forKey: "parsers", default: 2))
        let supervisor = config.scoped(to: "supervisor")
        self.restartBackoffMilliseconds = max(10, supervisor.int(forKey: "restart_backoff_ms", default: 500))
        self.restartBackoffMaxMilliseconds = max(
            restartBackoffMilliseconds, supervisor.int(forKey: "restart_backoff_max_ms", default: 30_000))
        self.stopTimeoutMilliseconds = max(100, supervisor.int(forKey: "stop_timeout_ms", default: 20_000))
        self.exitWhenDrained = config.bool(forKey: "fetcher.exit_when_drained", default: false)
        self.metricsHost = config.string(forKey: "metrics.host", default: "127.0.0.1")
        self.metricsPort = config.int(forKey: "metrics.port", default: 9464)
    }
}

/// One child process the supervisor runs.
public struct ChildSpec: Sendable, Equatable {
    /// `fetcher`, `parser` or `sink`.
    public var role: String
    /// Unique instance name, e.g. `parser-2`.
    public var instance: String
    /// Arguments after the executable.
    public var arguments: [String]

    /// Creates a child description.
    public init(role: String, instance: String, arguments: [String]) {
        self.role = role
        self.instance = instance
        self.arguments = arguments
    }
}
