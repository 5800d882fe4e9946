import Foundation
import Configuration
import RoleSupport

/// Everything the fetcher reads from the configuration.
public struct FetcherConfiguration: Sendable {
    /// Socket endpoints (see ``Endpoints``).
    public var endpoints: Endpoints
    /// Size limits (see ``Limits``).
    public var limits: Limits
    /// CURVE encryption and client authentication (see ``TransportSecurity``); set by the caller.
    public var security: TransportSecurity = .off
    /// The data folder.
    public var layout: DataLayout
    /// Instance name used in logs and heartbeats.
    public var instance: String
    /// Bind `tcp://` endpoints on all interfaces.
    public var bindAll: Bool
    /// Most articles taken but not yet acknowledged; sources pause when it is reached.
    public var window: Int
    /// Redeliver an article not acknowledged this long after dispatch (ms).
    public var ackTimeoutMilliseconds: Int
    /// How often the fetcher and workers exchange heartbeats (ms).
    public var heartbeatMilliseconds: Int
    /// A worker silent this long is presumed dead and its articles redelivered (ms).
    public var workerTimeoutMilliseconds: Int
    /// Dispatches before an article is given up and dead-lettered.
    public var maxAttempts: Int
    /// How long a draining fetcher waits for outstanding acknowledgements (ms).
    public var drainTimeoutMilliseconds: Int
    /// Watch `inbox/`.
    public var inboxEnabled: Bool
    /// How often the drop folder is scanned (ms).
    public var inboxScanMilliseconds: Int
    /// A file is taken only once it has not changed for this long (ms), so half-written files wait.
    public var inboxSettleMilliseconds: Int
    /// Watch the drop folder with inotify (scans go on as a fallback).
    public var inboxWatch: Bool
    /// Read articles from standard input.
    public var stdinEnabled: Bool
    /// Exit 0 once the sources are exhausted and every article is acknowledged.
    public var exitWhenDrained: Bool
    /// Journal durability and retention.
    var journal: Journal.Settings
    /// Replay of stored streams as a source, when `fetcher.replay.sources` is set.
    var replay: ReplaySource.Settings?
    /// RSS/Atom feeds, when `fetcher.feeds.file` names a feeds file.
    public var feeds: FeedSettings?
    /// Why the feeds file could not be read, if it could not.
    public var feedsProblem: String?

    /// Reads the fetcher's configuration.
    ///
    /// Keys (besides `endpoints.*` and `limits.*`):
    /// - `fetcher.instance` (string, default `fetcher`)
    /// - `bind_all` (bool, default false): bind tcp endpoints on every interface
    /// - `fetcher.window` (int, default 1000)
    /// - `fetcher.ack_timeout_ms` (int, default 10000)
    /// - `fetcher.heartbeat_ms` (int, default 1000)
    /// - `fetcher.worker_timeout_ms` (int, default 1500: three worker heartbeats)
    /// - `fetcher.max_attempts` (int, default 3)
    /// - `fetcher.drain_timeout_ms` (int, default 15000)
    /// - `fetcher.inbox.enabled` (bool, default true)
    /// - `fetcher.inbox.scan_ms` (int, default 250)
    /// - `fetcher.inbox.settle_ms` (int, default 200)
    /// - `fetcher.stdin.enabled` (bool, default false)
    /// - `fetcher.exit_when_drained` (bool, default false)
    /// - `journal.fsync` (string `always`, `interval` or `never`, default `interval`)
    /// - `journal.fsync_ms` (int, default 50): longest time between syncs under `interval`
    /// - `journal.segment_bytes` (int, default 67108864)
    /// - `journal.retention_hours` (int, default 168): acknowledged segments older than this are deleted
    /// - `journal.retention_bytes` (int, default 10737418240): and while the journal is larger than this
    /// - `fetcher.replay.sources` (string list, default none): journal folders or segments, out/ folders or
    ///   files, plain or gzip; set by `newsflow replay`
    /// - `fetcher.replay.since`, `fetcher.replay.until` (RFC 3339 or YYYY-MM-DD; `until` exclusive)
    /// - `fetcher.replay.time` (`fetched` or `published`, default `fetched`)
    /// - `fetcher.replay.source` (string): only articles first fetched from this kind of source
    /// - `fetcher.replay.ids_file` (string): only the ids listed in this file, one per line
    /// - `fetcher.replay.match` (string): only titles containing this text (case-insensitive)
    /// - `fetcher.replay.rate` (double, default 0 = as fast as the pipeline takes it), articles per second
    /// - `fetcher.replay.speed` (double, default 0 = off): the original timing, this many times faster
    /// - `fetcher.replay.resume` (bool, default false)
    /// - `fetcher.feeds.file` (string, default none): a YAML list of feeds (see ``FeedSettings``)
    /// - `fetcher.feeds.user_agent` (string), `fetcher.feeds.timeout_ms` (int, default 10000),
    ///   `fetcher.feeds.host_delay_ms` (int, default 1000), `fetcher.feeds.max_redirects` (int, default 5),
    ///   `fetcher.feeds.max_backoff_s` (int, default 3600), `fetcher.feeds.concurrency` (int, default 8),
    ///   `fetcher.feeds.remember_days` (number, default 30)
    public init(config: ConfigReader, layout: DataLayout) {
        self.layout = layout
        self.endpoints = Endpoints(config: config, layout: layout)
        self.limits = Limits(config: config)
        self.bindAll = config.bool(forKey: "bind_all", default: false)
        let fetcher = config.scoped(to: "fetcher")
        self.instance = fetcher.string(forKey: "instance", default: "fetcher")
        self.window = max(1, fetcher.int(forKey: "window", default: 1000))
        self.ackTimeoutMilliseconds = max(100, fetcher.int(forKey: "ack_timeout_ms", default: 10_000))
        self.heartbeatMilliseconds = max(50, fetcher.int(forKey: "heartbeat_ms", default: 1000))
        // Measured against the workers' heartbeats (parser.heartbeat_ms, which `config check` compares it
        // with), not the fetcher's own: those tell workers the fetcher's epoch and say nothing of a worker.
        self.workerTimeoutMilliseconds = max(100, fetcher.int(forKey: "worker_timeout_ms", default: 1500))
        self.maxAttempts = max(1, fetcher.int(forKey: "max_attempts", default: 3))
        self.drainTimeoutMilliseconds = max(0, fetcher.int(forKey: "drain_timeout_ms", default: 15_000))
        self.inboxEnabled = fetcher.bool(forKey: "inbox.enabled", default: true)
        self.inboxScanMilliseconds = max(10, fetcher.int(forKey: "inbox.scan_ms", default: 250))
        self.inboxSettleMilliseconds = max(0, fetcher.int(forKey: "inbox.settle_ms", default: 200))
        self.inboxWatch = fetcher.bool(forKey: "inbox.watch", default: true)
        self.stdinEnabled = fetcher.bool(forKey: "stdin.enabled", default: false)
        self.exitWhenDrained = fetcher.bool(forKey: "exit_when_drained", default: false)
        let replay = fetcher.scoped(to: "replay")
        let replaySources = replay.stringArray(forKey: "sources", default: []).filter { !$0.isEmpty }
        if !replaySources.isEmpty {
            var filter = ReplayReader.Filter()
            filter.since = replay.string(forKey: "since").flatMap(ReplayTime.parse)
            filter.until = replay.string(forKey: "until").flatMap(ReplayTime.parse)
            filter.onPublished = replay.string(forKey: "time", default: "fetched") == "published"
            filter.sourceKind = replay.string(forKey: "source").flatMap { $0.isEmpty ? nil : $0 }
            if let file = replay.string(forKey: "ids_file"), !file.isEmpty,
               let text = try? String(contentsOfFile: file, encoding: .utf8) {
                filter.ids = Set(text.split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) })
            }
            filter.match = replay.string(forKey: "match").flatMap { $0.isEmpty ? nil : $0 }
            self.replay = ReplaySource.Settings(
                paths: replaySources, filter: filter, rate: replay.double(forKey: "rate", default: 0),
                speed: replay.double(forKey: "speed", default: 0), resume: replay.bool(forKey: "resume", default: false))
        }
        let feeds = fetcher.scoped(to: "feeds")
        if let file = feeds.string(forKey: "file"), !file.isEmpty {
            var settings = FeedSettings()
            if let agent = feeds.string(forKey: "user_agent"), !agent.isEmpty { settings.userAgent = agent }
            settings.timeout = .milliseconds(max(100, feeds.int(forKey: "timeout_ms", default: 10_000)))
            settings.hostDelay = .milliseconds(max(0, feeds.int(forKey: "host_delay_ms", default: 1000)))
            settings.maxRedirects = max(0, feeds.int(forKey: "max_redirects", default: 5))
            settings.maxBackoff = .seconds(max(1, feeds.int(forKey: "max_backoff_s", default: 3600)))
            settings.concurrency = max(1, feeds.int(forKey: "concurrency", default: 8))
            settings.rememberDays = max(1.0 / 24, feeds.double(forKey: "remember_days", default: 30))
            settings.maxBodyBytes = limits.maxArticleBytes
            do {
                settings.feeds = try FeedSettings.feeds(fromFile: file)
                self.feeds = settings
            } catch {
                self.feedsProblem = error.description
            }
        }
        let journal = config.scoped(to: "journal")
        self.journal = Journal.Settings(
            sync: Journal.SyncPolicy(rawValue: journal.string(forKey: "fsync", default: "interval")) ?? .interval,
            syncInterval: .milliseconds(max(1, journal.int(forKey: "fsync_ms", default: 50))),
            segmentBytes: max(4096, journal.int(forKey: "segment_bytes", default: 64 << 20)),
            retention: .seconds(3600 * max(0, journal.int(forKey: "retention_hours", default: 168))),
            retentionBytes: max(0, journal.int(forKey: "retention_bytes", default: 10 << 30)),
            maxLineBytes: self.limits.maxLineBytes)
    }
}
