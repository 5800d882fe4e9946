import Foundation
import Logging

/// What every role's loop is given: who it is, its logger (with `role` and `instance` metadata), its
/// counters and whether its supervisor is still there.
public struct RoleContext: Sendable {
    /// This process's identity.
    public let identity: RoleIdentity
    /// The role's logger.
    public let logger: Logger
    /// The role's event counters.
    public let counters: RoleCounters
    /// Fires when the supervisor that started this process is gone.
    public let parentWatch: ParentWatch
    /// Decodes and polices incoming messages.
    public let protocolGuard: ProtocolGuard

    /// A context for `role`/`instance`, reading the supervisor pid from the environment.
    public init(role: String, instance: String, logger: Logger) {
        var logger = logger
        logger[metadataKey: "role"] = "\(role)"
        logger[metadataKey: "instance"] = "\(instance)"
        self.identity = RoleIdentity(role: role, instance: instance)
        self.logger = logger
        self.counters = RoleCounters(role: role, instance: instance)
        self.parentWatch = ParentWatch(environment: ProcessInfo.processInfo.environment)
        self.protocolGuard = ProtocolGuard(counters: counters, logger: logger)
    }

    /// Whether the loop should drain and stop: shutdown was requested or the supervisor is gone.
    public func shouldStop(_ stop: StopSignal) -> Bool {
        stop.isRequested || parentWatch.supervisorIsGone
    }
}
