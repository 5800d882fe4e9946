#if canImport(Glibc)
import Glibc
#endif

/// Tells a supervised child that its supervisor is gone, so children never outlive a killed supervisor.
///
/// The supervisor passes its pid in `NEWSFLOW_SUPERVISOR_PID`; when the child's parent pid no longer matches
/// (the supervisor died and the child was re-parented), the child drains and exits.
public struct ParentWatch: Sendable {
    private let expected: pid_t?

    /// Reads `NEWSFLOW_SUPERVISOR_PID` from the environment; without it the watch never fires.
    public init(environment: [String: String]) {
        self.expected = environment["NEWSFLOW_SUPERVISOR_PID"].flatMap { pid_t($0) }
    }

    /// Whether this process was started by a supervisor that has since gone away.
    public var supervisorIsGone: Bool {
        guard let expected else { return false }
        return getppid() != expected
    }
}
