import Metrics

/// The event counters every role keeps, labelled by role and stage (Vector's component spec): articles
/// received, sent, failed, redelivered and dropped, and bytes received.
public struct RoleCounters: Sendable {
    /// The pipeline stage an event happened in.
    public enum Stage: String, Sendable {
        case receiving, processing, sending
    }

    private let role: String
    private let instance: String

    /// Counters for one role instance.
    public init(role: String, instance: String) {
        self.role = role
        self.instance = instance
    }

    /// Counts `count` articles with `event` (`received`, `sent`, `failed`, `redelivered`, `dropped`).
    public func articles(_ event: String, stage: Stage, count: Int = 1) {
        guard count > 0 else { return }
        Counter(
            label: "newsflow_articles_total",
            dimensions: [("role", role), ("instance", instance), ("stage", stage.rawValue), ("event", event)]
        ).increment(by: Int64(count))
    }

    /// Counts bytes received.
    public func bytesReceived(_ count: Int) {
        guard count > 0 else { return }
        Counter(label: "newsflow_bytes_received_total", dimensions: [("role", role), ("instance", instance)])
            .increment(by: Int64(count))
    }

    /// Sets a gauge of this role (`newsflow_<name>`).
    public func gauge(_ name: String, _ value: Double) {
        Gauge(label: "newsflow_\(name)", dimensions: [("role", role), ("instance", instance)]).record(value)
    }

    /// Records a duration in a histogram of this role (`newsflow_<name>_seconds`).
    public func duration(_ name: String, _ duration: Duration) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Metrics.Timer(label: "newsflow_\(name)_seconds", dimensions: [("role", role), ("instance", instance)])
            .recordNanoseconds(nanoseconds)
    }

    /// Counts messages refused at the protocol level (bad frames, unknown kinds, wrong versions).
    public func rejected(_ reason: String) {
        Counter(
            label: "newsflow_messages_rejected_total",
            dimensions: [("role", role), ("instance", instance), ("reason", reason)]
        ).increment()
    }
}
