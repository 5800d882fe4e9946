import Configuration
import RoleSupport

/// Everything a parser worker reads from the configuration.
public struct ParserConfiguration: Sendable {
    /// Socket endpoints (see ``Endpoints``).
    public var endpoints: Endpoints
    /// Size limits (see ``Limits``).
    public var limits: Limits
    /// CURVE encryption and client authentication (see ``TransportSecurity``); set by the caller.
    public var security: TransportSecurity = .off
    /// Instance name, e.g. `parser-2`.
    public var instance: String
    /// Raw articles the worker accepts at once (its credit at the fetcher).
    public var capacity: Int
    /// How often the worker announces itself to the fetcher (ms).
    public var heartbeatMilliseconds: Int
    /// Fault injection for tests and drills: a worker that receives an article containing this text
    /// kills itself with SIGKILL, as a parser crash would. Empty: off.
    public var crashOnMarker: String
    /// The entity model file; empty for the one that ships with newsflow.
    public var nerModelPath: String
    /// Pass articles through with a minimal record instead of parsing them: for measuring the plumbing
    /// alone (`newsflow bench pipeline --parse none`), never for real use.
    public var passthrough: Bool

    /// Reads the worker's configuration.
    ///
    /// Keys (besides `endpoints.*` and `limits.*`):
    /// - `parser.instance` (string, default `parser`)
    /// - `parser.capacity` (int, default 64)
    /// - `parser.heartbeat_ms` (int, default 500; sent while an article is parsed too)
    /// - `parser.fault.crash_on` (string, default empty): fault injection, see ``crashOnMarker``
    /// - `parser.ner_model` (string, default empty): the entity model file, see ``nerModelPath``
    public init(config: ConfigReader, layout: DataLayout) {
        self.endpoints = Endpoints(config: config, layout: layout)
        self.limits = Limits(config: config)
        let parser = config.scoped(to: "parser")
        self.instance = parser.string(forKey: "instance", default: "parser")
        self.capacity = max(1, parser.int(forKey: "capacity", default: 64))
        self.heartbeatMilliseconds = max(50, parser.int(forKey: "heartbeat_ms", default: 500))
        self.crashOnMarker = parser.string(forKey: "fault.crash_on", default: "")
        self.nerModelPath = parser.string(forKey: "ner_model", default: "")
        self.passthrough = parser.bool(forKey: "passthrough", default: false)
    }
}
