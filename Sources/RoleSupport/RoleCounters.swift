import Foundation
import Metrics
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The event counters every role keeps, labelled by role and stage (Vector's component spec): articles
/// received, sent, failed, redelivered and dropped, and bytes received.
public struct RoleCounters: Sendable {
    /// The pipeline stage an event happened in.
    public enum Stage: String, Sendable {
        case receiving, processing, sending
    }

    private let role: String
    private let instance: String
    private let handles = Handles()

    /// Metric handles made once and kept: making one goes through the metrics system's registry (labels
    /// hashed, a lock taken), several times per article in every process.
    private final class Handles: Sendable {
        let counters = Mutex<[String: Counter]>([:])
        let timers = Mutex<[String: Metrics.Timer]>([:])
        /// The article counters of the usual events, by stage and event (``RoleCounters/articleEvents``):
        /// counted for every article in every process, where building and hashing a key cost more than
        /// the count.
        let articles = Mutex<[Counter?]>(Array(repeating: nil, count: 3 * RoleCounters.articleEvents.count))
    }

    /// The events ``articles(_:stage:count:)`` counts without building a key.
    private static let articleEvents = ["received", "sent", "failed", "redelivered", "dropped", "recovered"]

    /// Counters for one role instance.
    public init(role: String, instance: String) {
        self.role = role
        self.instance = instance
    }

    private func counter(_ key: String, _ make: () -> Counter) -> Counter {
        handles.counters.withLock { counters in
            if let known = counters[key] { return known }
            let made = make()
            counters[key] = made
            return made
        }
    }

    /// Counts `count` articles with `event` (`received`, `sent`, `failed`, `redelivered`, `dropped`).
    public func articles(_ event: String, stage: Stage, count: Int = 1) {
        guard count > 0 else { return }
        let make = {
            Counter(
                label: "newsflow_articles_total",
                dimensions: [("role", role), ("instance", instance), ("stage", stage.rawValue), ("event", event)])
        }
        guard let number = Self.articleEvents.firstIndex(of: event) else {
            counter("articles|\(stage.rawValue)|\(event)", make).increment(by: Int64(count))
            return
        }
        let slot = number * 3 + (stage == .receiving ? 0 : stage == .processing ? 1 : 2)
        handles.articles.withLock { counters in
            if let known = counters[slot] { return known }
            let made = make()
            counters[slot] = made
            return made
        }.increment(by: Int64(count))
    }

    /// Counts bytes received.
    public func bytesReceived(_ count: Int) {
        guard count > 0 else { return }
        counter("bytes_received") {
            Counter(label: "newsflow_bytes_received_total", dimensions: [("role", role), ("instance", instance)])
        }.increment(by: Int64(count))
    }

    /// Sets a gauge of this role (`newsflow_<name>`).
    public func gauge(_ name: String, _ value: Double) {
        Gauge(label: "newsflow_\(name)", dimensions: [("role", role), ("instance", instance)]).record(value)
    }

    /// Records the free and total bytes of the file system holding `folder` (`newsflow_disk_free_bytes`,
    /// `newsflow_disk_size_bytes`, labelled `folder`: `out`, `dead-letter`, `journal`), for alerts before
    /// a disk fills. Nothing is recorded for a folder that cannot be read.
    public func diskSpace(of folder: URL, named name: String) {
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else { return }
        let blockSize = Double(stats.f_frsize)
        let dimensions = [("role", role), ("instance", instance), ("folder", name)]
        Gauge(label: "newsflow_disk_free_bytes", dimensions: dimensions).record(Double(stats.f_bavail) * blockSize)
        Gauge(label: "newsflow_disk_size_bytes", dimensions: dimensions).record(Double(stats.f_blocks) * blockSize)
    }

    /// Records a duration in a histogram of this role (`newsflow_<name>_seconds`).
    public func duration(_ name: String, _ duration: Duration) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        let timer = handles.timers.withLock { timers in
            if let known = timers[name] { return known }
            let made = Metrics.Timer(label: "newsflow_\(name)_seconds", dimensions: [("role", role), ("instance", instance)])
            timers[name] = made
            return made
        }
        timer.recordNanoseconds(nanoseconds)
    }

    /// Counts messages refused at the protocol level (bad frames, unknown kinds, wrong versions).
    /// A record the sink wrote with `duplicate_of` (`newsflow_near_duplicates_total`).
    public func nearDuplicate() {
        counter("near_duplicates") {
            Counter(label: "newsflow_near_duplicates_total", dimensions: [("role", role), ("instance", instance)])
        }.increment()
    }

    public func rejected(_ reason: String) {
        Counter(
            label: "newsflow_messages_rejected_total",
            dimensions: [("role", role), ("instance", instance), ("reason", reason)]
        ).increment()
    }
}
