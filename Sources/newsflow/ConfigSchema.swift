/// Every configuration key newsflow reads, with its type, default and limits: the single list that
/// `config check`, `config show` and the roles' start-up check use.
struct ConfigSchema {
    enum Kind {
        case int(min: Int, max: Int)
        case double(min: Double, max: Double)
        case bool
        case string
        case choice([String])
        case endpoint
        case path
        case stringList
    }

    struct Key {
        var name: String
        var kind: Kind
        var defaultValue: String
        var isSecret = false
    }

    static let keys: [Key] = [
        Key(name: "data_dir", kind: .path, defaultValue: "./data"),
        Key(name: "parsers", kind: .int(min: 1, max: 256), defaultValue: "2"),
        Key(name: "bind_all", kind: .bool, defaultValue: "false"),
        Key(name: "log.level", kind: .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), defaultValue: "info"),
        Key(name: "log.format", kind: .choice(["auto", "human", "json"]), defaultValue: "auto"),
        Key(name: "metrics.host", kind: .string, defaultValue: "127.0.0.1"),
        Key(name: "metrics.port", kind: .int(min: -1, max: 65535), defaultValue: "9464"),
        Key(name: "endpoints.ingest", kind: .endpoint, defaultValue: ""),
        Key(name: "endpoints.submit", kind: .endpoint, defaultValue: ""),
        Key(name: "endpoints.dispatch", kind: .endpoint, defaultValue: ""),
        Key(name: "endpoints.results", kind: .endpoint, defaultValue: ""),
        Key(name: "endpoints.acks", kind: .endpoint, defaultValue: ""),
        Key(name: "limits.max_message_bytes", kind: .int(min: 1024, max: 1 << 30), defaultValue: "16777216"),
        Key(name: "limits.max_article_bytes", kind: .int(min: 1, max: 1 << 30), defaultValue: "8388608"),
        Key(name: "limits.max_line_bytes", kind: .int(min: 4096, max: 1 << 32), defaultValue: "67108864"),
        Key(name: "limits.max_json_depth", kind: .int(min: 1, max: 10_000), defaultValue: "64"),
        Key(name: "limits.max_entities", kind: .int(min: 0, max: 1_000_000), defaultValue: "300"),
        Key(name: "limits.parse_budget_ms", kind: .int(min: 0, max: 3_600_000), defaultValue: "1000"),
        Key(name: "security.curve", kind: .bool, defaultValue: "false"),
        Key(name: "security.server_key", kind: .path, defaultValue: "", isSecret: true),
        Key(name: "security.server_public_key", kind: .path, defaultValue: ""),
        Key(name: "security.client_key", kind: .path, defaultValue: "", isSecret: true),
        Key(name: "security.allowed_clients", kind: .path, defaultValue: ""),
        Key(name: "fetcher.instance", kind: .string, defaultValue: "fetcher"),
        Key(name: "fetcher.window", kind: .int(min: 1, max: 1_000_000), defaultValue: "1000"),
        Key(name: "fetcher.ack_timeout_ms", kind: .int(min: 100, max: 86_400_000), defaultValue: "10000"),
        Key(name: "fetcher.heartbeat_ms", kind: .int(min: 50, max: 600_000), defaultValue: "1000"),
        Key(name: "fetcher.worker_timeout_ms", kind: .int(min: 100, max: 3_600_000), defaultValue: "1500"),
        Key(name: "fetcher.max_attempts", kind: .int(min: 1, max: 100), defaultValue: "3"),
        Key(name: "fetcher.drain_timeout_ms", kind: .int(min: 0, max: 3_600_000), defaultValue: "15000"),
        Key(name: "fetcher.exit_when_drained", kind: .bool, defaultValue: "false"),
        Key(name: "fetcher.inbox.enabled", kind: .bool, defaultValue: "true"),
        Key(name: "fetcher.inbox.scan_ms", kind: .int(min: 10, max: 3_600_000), defaultValue: "250"),
        Key(name: "fetcher.inbox.settle_ms", kind: .int(min: 0, max: 3_600_000), defaultValue: "200"),
        Key(name: "fetcher.inbox.watch", kind: .bool, defaultValue: "true"),
        Key(name: "fetcher.stdin.enabled", kind: .bool, defaultValue: "false"),
        Key(name: "fetcher.feeds.file", kind: .path, defaultValue: ""),
        Key(name: "fetcher.feeds.user_agent", kind: .string, defaultValue: ""),
        Key(name: "fetcher.feeds.timeout_ms", kind: .int(min: 100, max: 600_000), defaultValue: "10000"),
        Key(name: "fetcher.feeds.host_delay_ms", kind: .int(min: 0, max: 3_600_000), defaultValue: "1000"),
        Key(name: "fetcher.feeds.max_redirects", kind: .int(min: 0, max: 20), defaultValue: "5"),
        Key(name: "fetcher.feeds.max_backoff_s", kind: .int(min: 1, max: 604_800), defaultValue: "3600"),
        Key(name: "fetcher.feeds.concurrency", kind: .int(min: 1, max: 256), defaultValue: "8"),
        Key(name: "fetcher.feeds.remember_days", kind: .double(min: 0.05, max: 36_500), defaultValue: "30"),
        Key(name: "fetcher.replay.sources", kind: .stringList, defaultValue: ""),
        Key(name: "fetcher.replay.since", kind: .string, defaultValue: ""),
        Key(name: "fetcher.replay.until", kind: .string, defaultValue: ""),
        Key(name: "fetcher.replay.time", kind: .choice(["fetched", "published"]), defaultValue: "fetched"),
        Key(name: "fetcher.replay.source", kind: .string, defaultValue: ""),
        Key(name: "fetcher.replay.ids_file", kind: .string, defaultValue: ""),
        Key(name: "fetcher.replay.match", kind: .string, defaultValue: ""),
        Key(name: "fetcher.replay.rate", kind: .double(min: 0, max: 1e9), defaultValue: "0"),
        Key(name: "fetcher.replay.speed", kind: .double(min: 0, max: 1e9), defaultValue: "0"),
        Key(name: "fetcher.replay.resume", kind: .bool, defaultValue: "false"),
        Key(name: "journal.fsync", kind: .choice(["always", "interval", "never"]), defaultValue: "interval"),
        Key(name: "journal.fsync_ms", kind: .int(min: 1, max: 3_600_000), defaultValue: "50"),
        Key(name: "journal.segment_bytes", kind: .int(min: 4096, max: 1 << 40), defaultValue: "67108864"),
        Key(name: "journal.retention_hours", kind: .int(min: 0, max: 1_000_000), defaultValue: "168"),
        Key(name: "journal.retention_bytes", kind: .int(min: 0, max: Int.max), defaultValue: "10737418240"),
        Key(name: "parser.instance", kind: .string, defaultValue: "parser"),
        Key(name: "parser.capacity", kind: .int(min: 1, max: 10_000), defaultValue: "64"),
        Key(name: "parser.heartbeat_ms", kind: .int(min: 50, max: 600_000), defaultValue: "500"),
        Key(name: "parser.fault.crash_on", kind: .string, defaultValue: ""),
        Key(name: "parser.ner_model", kind: .string, defaultValue: ""),
        Key(name: "parser.passthrough", kind: .bool, defaultValue: "false"),
        Key(name: "sink.instance", kind: .string, defaultValue: "sink"),
        Key(name: "sink.fsync_ms", kind: .int(min: 0, max: 3_600_000), defaultValue: "5"),
        Key(name: "sink.fsync_every", kind: .int(min: 1, max: 10_000_000), defaultValue: "1000"),
        Key(name: "sink.fsync", kind: .bool, defaultValue: "true"),
        Key(name: "sink.rotate_bytes", kind: .int(min: 4096, max: 1 << 40), defaultValue: "134217728"),
        Key(name: "sink.rotate_seconds", kind: .int(min: 1, max: 31_536_000), defaultValue: "3600"),
        Key(name: "sink.compress", kind: .bool, defaultValue: "false"),
        Key(name: "sink.remember_ids", kind: .int(min: 1, max: 1 << 31), defaultValue: "500000"),
        Key(name: "sink.duplicates.enabled", kind: .bool, defaultValue: "true"),
        Key(name: "sink.duplicates.window_records", kind: .int(min: 2, max: 1 << 31), defaultValue: "250000"),
        Key(name: "sink.duplicates.window_hours", kind: .double(min: 0, max: 876_000), defaultValue: "168"),
        Key(name: "sink.duplicates.similarity", kind: .double(min: 0.05, max: 1), defaultValue: "0.65"),
        Key(name: "supervisor.restart_backoff_ms", kind: .int(min: 10, max: 3_600_000), defaultValue: "500"),
        Key(name: "supervisor.restart_backoff_max_ms", kind: .int(min: 10, max: 86_400_000), defaultValue: "30000"),
        Key(name: "supervisor.stop_timeout_ms", kind: .int(min: 100, max: 3_600_000), defaultValue: "20000"),
    ]

    /// Environment variables that are not configuration keys but are used by newsflow or its tests.
    static let otherVariables: Set<String> = ["NEWSFLOW_SUPERVISOR_PID", "NEWSFLOW_BIN", "NEWSFLOW_PYTHON"]

    /// The environment variable for a key: `sink.fsync_ms` is `NEWSFLOW_SINK_FSYNC_MS`.
    static func variable(for key: String) -> String {
        "NEWSFLOW_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }

    static func key(named name: String) -> Key? { keys.first { $0.name == name } }
}
