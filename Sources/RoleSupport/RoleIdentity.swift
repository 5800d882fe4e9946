import Foundation

/// Who a running role instance is: its role, its instance name and an epoch unique to this start.
public struct RoleIdentity: Sendable, Equatable {
    /// `fetcher`, `parser`, `sink` or `supervisor`.
    public let role: String
    /// The instance name, e.g. `parser-2`; defaults to the role name.
    public let instance: String
    /// Unique per process start: the pid and start time, so peers notice restarts.
    public let epoch: String

    /// An identity for this process.
    public init(role: String, instance: String?) {
        self.role = role
        self.instance = (instance?.isEmpty == false ? instance : nil) ?? role
        let pid = ProcessInfo.processInfo.processIdentifier
        let started = UInt64(Date().timeIntervalSince1970 * 1000)
        self.epoch = "\(pid)-\(started)"
    }
}

extension Duration {
    /// The duration in whole milliseconds, never negative (for poll timeouts).
    public var wholeMilliseconds: Int {
        let parts = components
        return max(0, Int(parts.seconds) * 1000 + Int(parts.attoseconds / 1_000_000_000_000_000))
    }
}
