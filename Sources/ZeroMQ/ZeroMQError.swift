import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// The one error type of the ZeroMQ module: a libzmq `errno`, the call that failed and, where it matters,
/// the endpoint or option involved.
public struct ZeroMQError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The libzmq / POSIX error number (`zmq_errno()` at the time of failure).
    public let code: Int32
    /// The libzmq function that failed, e.g. `zmq_bind`.
    public let operation: String
    /// Extra context: the endpoint for bind/connect, the option name for setsockopt.
    public let detail: String

    /// Creates an error from an errno value.
    public init(code: Int32, operation: String, detail: String = "") {
        self.code = code
        self.operation = operation
        self.detail = detail
    }

    /// The context was terminated (`ETERM`): the owner should close its sockets and stop.
    public var isContextTerminated: Bool { code == ETERM }

    /// libzmq's own text for the error number.
    public var message: String {
        guard let text = zmq_strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }

    public var description: String {
        var text = "\(operation) failed: \(message) (errno \(code))"
        if !detail.isEmpty { text += " [\(detail)]" }
        switch code {
        case EADDRINUSE:
            text += "; another process already binds this endpoint: stop it or choose another endpoint"
        case ENOENT, EACCES:
            text += "; check that the directory of the ipc:// endpoint exists and is writable"
        case EINVAL where operation == "zmq_bind" || operation == "zmq_connect":
            text += "; the endpoint is malformed: use tcp://host:port, ipc://path or inproc://name"
        default:
            break
        }
        return text
    }
}
