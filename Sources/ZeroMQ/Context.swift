import CZeroMQ

/// A libzmq context: the I/O threads and the owner of every socket made from it.
///
/// Contexts are thread-safe in libzmq, so this type is `Sendable`. Sockets keep their context alive;
/// the context is terminated when the last socket is gone and the context itself is released.
/// Sockets set a finite linger so termination never hangs on unsent messages.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with `ioThreads` background I/O threads.
    public init(ioThreads: Int32 = 1) throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else {
            throw ZeroMQError(code: zmq_errno(), operation: "zmq_ctx_new")
        }
        self.handle = handle
        try zmqCheck("zmq_ctx_set", detail: "ZMQ_IO_THREADS") { zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) }
    }

    deinit {
        // Every socket holds a strong reference to its context, so none is open here: this cannot block
        // on an open socket. EINTR is retried; nothing else can be done in deinit with another error.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// The libzmq version this process is linked against, e.g. `4.3.4`.
    public static var libraryVersion: String {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
