import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The running children by instance name, shared between the tasks that watch them and the orderly stop.
final class ChildTable: Sendable {
    private let running = Mutex<[String: pid_t]>([:])
    private let stopping = Atomic<Bool>(false)
    private let history = Mutex<[String: (started: Date, restarts: Int)]>([:])
    private let retired = Mutex<Set<String>>([])
    private let specs = Mutex<[ChildSpec]>([])

    /// The children the pipeline is meant to have now.
    func setSpecs(_ children: [ChildSpec]) { specs.withLock { $0 = children } }
    var currentSpecs: [ChildSpec] { specs.withLock { $0 } }

    /// Marks a child as scaled away: its exit is expected and not restarted.
    func retire(_ instance: String) { _ = retired.withLock { $0.insert(instance) } }
    func isRetired(_ instance: String) -> Bool { retired.withLock { $0.contains(instance) } }

    func started(_ instance: String, pid: pid_t) {
        running.withLock { $0[instance] = pid }
        history.withLock { table in
            let restarts = table[instance].map { $0.restarts + 1 } ?? 0
            table[instance] = (Date(), restarts)
        }
    }
    func exited(_ instance: String) { _ = running.withLock { $0.removeValue(forKey: instance) } }

    /// When the running incarnation started and how often the child was restarted.
    func life(of instance: String) -> (started: Date, restarts: Int)? { history.withLock { $0[instance] } }
    func pid(of instance: String) -> pid_t? { running.withLock { $0[instance] } }
    var pids: [String: pid_t] { running.withLock { $0 } }

    /// Whether an orderly stop has begun: exits are then expected and not restarted.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }
    func beginStopping() { stopping.store(true, ordering: .releasing) }

    /// Sends `signal` to the named children that are running.
    func signal(_ instances: [String], _ signal: Int32) {
        for instance in instances {
            if let pid = pid(of: instance) { kill(pid, signal) }
        }
    }
}
