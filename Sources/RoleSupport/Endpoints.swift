import Configuration

/// The four ZeroMQ endpoints of a pipeline. Stable roles (fetcher, sink) bind; workers and producers connect.
///
/// ```
/// ingest    fetcher binds PULL   <- producers PUSH (pyzmq, stdin source)   inject
/// submit    fetcher binds ROUTER <-> producers DEALER                       inject, accepted
/// dispatch  fetcher binds ROUTER <-> workers DEALER                         raw, ready, heartbeat
/// results   sink binds PULL      <- workers PUSH                            parsed, failure
/// acks      fetcher binds PULL   <- sink PUSH                               ack
/// ```
public struct Endpoints: Sendable, Equatable {
    /// Where producers inject raw articles, fire and forget.
    public var ingest: String
    /// Where producers submit raw articles and are told when each is safely journaled.
    public var submit: String
    /// Where workers fetch raw articles.
    public var dispatch: String
    /// Where workers deliver results.
    public var results: String
    /// Where the sink acknowledges.
    public var acks: String

    /// Reads the endpoints.
    ///
    /// Keys (all strings; default `ipc://<data-dir>/run/<name>.sock`):
    /// - `endpoints.ingest`
    /// - `endpoints.submit`
    /// - `endpoints.dispatch`
    /// - `endpoints.results`
    /// - `endpoints.acks`
    public init(config: ConfigReader, layout: DataLayout) {
        func value(_ name: String) -> String {
            let fallback = "ipc://" + layout.run.appendingPathComponent("\(name).sock").path
            let configured = config.string(forKey: ConfigKey(["endpoints", name]), default: "")
            return configured.isEmpty ? fallback : configured
        }
        self.ingest = value("ingest")
        self.submit = value("submit")
        self.dispatch = value("dispatch")
        self.results = value("results")
        self.acks = value("acks")
    }

    /// For a socket that binds: `tcp://host:port` becomes `tcp://*:port` when `bindAll` is set in the
    /// config, so the same file serves connecting peers on other hosts and the binding role.
    public static func bindable(_ endpoint: String, bindAll: Bool) -> String {
        guard bindAll, endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":") else { return endpoint }
        return "tcp://*" + endpoint[colon...]
    }
}

/// Limits shared by every role.
public struct Limits: Sendable, Equatable {
    /// Largest ZeroMQ message any socket accepts from a peer (`limits.max_message_bytes`, int, default 16 MiB).
    public var maxMessageBytes: Int
    /// Largest raw article the fetcher takes (`limits.max_article_bytes`, int, default 8 MiB); bigger ones
    /// are dead-lettered with the reason.
    public var maxArticleBytes: Int
    /// Longest line written to or read from the journal and `out/` (`limits.max_line_bytes`, int, default
    /// 64 MiB). A record longer than this is dead-lettered; a longer line met on reading is set aside.
    public var maxLineBytes: Int
    /// Deepest nesting accepted in JSON input (`limits.max_json_depth`, int, default 64).
    public var maxJSONDepth: Int
    /// Most entities kept in one record (`limits.max_entities`, int, default 300).
    public var maxEntities: Int
    /// Time one article may take to parse (`limits.parse_budget_ms`, int, default 1000; 0 for none).
    public var parseBudgetMilliseconds: Int

    /// Reads the limits (keys above).
    public init(config: ConfigReader) {
        self.maxMessageBytes = config.int(forKey: "limits.max_message_bytes", default: 16 << 20)
        self.maxArticleBytes = config.int(forKey: "limits.max_article_bytes", default: 8 << 20)
        self.maxLineBytes = config.int(forKey: "limits.max_line_bytes", default: 64 << 20)
        self.maxJSONDepth = config.int(forKey: "limits.max_json_depth", default: 64)
        self.maxEntities = config.int(forKey: "limits.max_entities", default: 300)
        self.parseBudgetMilliseconds = config.int(forKey: "limits.parse_budget_ms", default: 1000)
    }
}
