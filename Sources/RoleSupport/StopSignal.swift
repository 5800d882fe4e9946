import Synchronization

/// A one-way flag a role's loop polls: set once when the role should drain and stop.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A signal that is not set.
    public init() {}

    /// Asks the loop to drain and stop.
    public func request() { flag.store(true, ordering: .releasing) }

    /// Whether a stop was requested.
    public var isRequested: Bool { flag.load(ordering: .acquiring) }
}
