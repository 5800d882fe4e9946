import Synchronization

/// Whether this process's role is ready for work: set once its sockets are bound or connected, cleared
/// when it stops. A role run alone serves it as `/readyz` (orchestrators route to and roll on it).
public enum RoleReadiness {
    private static let ready = Atomic<Bool>(false)

    /// The role's sockets are up.
    public static func markReady() { ready.store(true, ordering: .releasing) }

    /// The role is stopping.
    public static func markStopping() { ready.store(false, ordering: .releasing) }

    /// The role's sockets are up; also exported as `newsflow_ready` 1 (for alerts on a role run alone).
    public static func markReady(_ counters: RoleCounters) {
        markReady()
        counters.gauge("ready", 1)
    }

    /// The role is stopping; `newsflow_ready` 0.
    public static func markStopping(_ counters: RoleCounters) {
        markStopping()
        counters.gauge("ready", 0)
    }

    private static let pauseReason = Mutex<String?>(nil)

    /// The role is up but cannot do its work (a full disk): not ready, with the reason, until
    /// ``resume(_:)``.
    public static func pause(_ counters: RoleCounters, reason: String) {
        pauseReason.withLock { $0 = reason }
        counters.gauge("ready", 0)
    }

    /// The role can work again.
    public static func resume(_ counters: RoleCounters) {
        pauseReason.withLock { $0 = nil }
        counters.gauge("ready", isReady ? 1 : 0)
    }

    /// Why the role is not ready, or `nil` when it is.
    public static var notReadyReason: String? {
        if let reason = pauseReason.withLock({ $0 }) { return reason }
        return isReady ? nil : "starting or stopping"
    }

    /// Whether the role is ready.
    public static var isReady: Bool { ready.load(ordering: .acquiring) }
}
