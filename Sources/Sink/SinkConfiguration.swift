import Configuration
import RoleSupport

/// Everything the sink reads from the configuration.
public struct SinkConfiguration: Sendable {
    /// Socket endpoints (see ``Endpoints``).
    public var endpoints: Endpoints
    /// Size limits (see ``Limits``).
    public var limits: Limits
    /// CURVE encryption and client authentication (see ``TransportSecurity``); set by the caller.
    public var security: TransportSecurity = .off
    /// The data folder.
    public var layout: DataLayout
    /// Instance name.
    public var instance: String
    /// Bind `tcp://` endpoints on all interfaces.
    public var bindAll: Bool
    /// Sync and acknowledge at least this often while articles are pending (ms).
    public var fsyncMilliseconds: Int
    /// Sync and acknowledge after this many articles at the latest.
    public var fsyncEvery: Int
    /// Whether to `fsync` before acknowledging (off: safe against a killed process, not a power loss).
    public var fsync: Bool
    /// Start a new output file after this many bytes.
    public var rotateBytes: Int
    /// Start a new output file after this long.
    public var rotateSeconds: Int
    /// gzip closed output files.
    public var compress: Bool
    /// Ids of the newest records remembered, to drop redelivered copies (see ``SeenIDs``).
    public var rememberIDs: Int
    /// Near-duplicate detection (`duplicate_of`); nil when turned off.
    var duplicates: NearDuplicates.Settings?

    /// Reads the sink's configuration.
    ///
    /// Keys (besides `endpoints.*` and `limits.*`):
    /// - `sink.instance` (string, default `sink`)
    /// - `bind_all` (bool, default false)
    /// - `sink.fsync_ms` (int, default 5): least time between two syncs while lines keep coming (group
    ///   commit: an idle sink syncs a line at once; a busy one at most every fsync_ms, in growing batches)
    /// - `sink.fsync_every` (int, default 1000): most articles between two syncs
    /// - `sink.fsync` (bool, default true): sync before acknowledging
    /// - `sink.rotate_bytes` (int, default 134217728): new file after this many bytes
    /// - `sink.rotate_seconds` (int, default 3600): new file after this long
    /// - `sink.compress` (bool, default false): gzip closed files to `*.jsonl.gz`
    /// - `sink.remember_ids` (int, default 500000): the sink drops a redelivered copy of any of at least
    ///   this many newest records (at most twice as many are held, about 16 bytes each)
    /// - `sink.duplicates.enabled` (bool, default true): set `duplicate_of` on near-duplicate records
    /// - `sink.duplicates.window_records` (int, default 250000): most records compared with (the older
    ///   half is forgotten at once when full)
    /// - `sink.duplicates.window_hours` (double, default 168): records fetched longer ago than this
    ///   before the latest are not compared with
    /// - `sink.duplicates.similarity` (double, default 0.65): least estimated Jaccard similarity of
    ///   5-word shingles that links two records
    public init(config: ConfigReader, layout: DataLayout) {
        self.layout = layout
        self.endpoints = Endpoints(config: config, layout: layout)
        self.limits = Limits(config: config)
        self.bindAll = config.bool(forKey: "bind_all", default: false)
        let sink = config.scoped(to: "sink")
        self.instance = sink.string(forKey: "instance", default: "sink")
        self.fsyncMilliseconds = max(0, sink.int(forKey: "fsync_ms", default: 5))
        self.fsyncEvery = max(1, sink.int(forKey: "fsync_every", default: 1000))
        self.fsync = sink.bool(forKey: "fsync", default: true)
        self.rotateBytes = max(4096, sink.int(forKey: "rotate_bytes", default: 128 << 20))
        self.rotateSeconds = max(1, sink.int(forKey: "rotate_seconds", default: 3600))
        self.compress = sink.bool(forKey: "compress", default: false)
        self.rememberIDs = max(1, sink.int(forKey: "remember_ids", default: 500_000))
        let duplicates = sink.scoped(to: "duplicates")
        if duplicates.bool(forKey: "enabled", default: true) {
            self.duplicates = NearDuplicates.Settings(
                windowRecords: duplicates.int(forKey: "window_records", default: 250_000),
                windowSeconds: Int64(max(0, duplicates.double(forKey: "window_hours", default: 168)) * 3600),
                similarity: duplicates.double(forKey: "similarity", default: 0.65))
        }
    }
}
