import CZeroMQ

/// One libzmq socket, owned by exactly one thread.
///
/// libzmq sockets are not thread-safe, so `Socket` is deliberately not `Sendable`: create it on the thread
/// that uses it and close it there. Multipart messages are sent and received whole, as arrays of frames.
/// The receive buffer (`zmq_msg_t`) is allocated once on the heap and never moved.
public final class Socket {
    /// The context the socket was made from; kept alive as long as the socket is.
    public let context: Context
    /// What kind of socket this is.
    public let type: SocketType
    private var handle: UnsafeMutableRawPointer?
    private let message: UnsafeMutablePointer<zmq_msg_t>

    /// Creates a socket with a finite linger (default 1 s) so closing never blocks forever.
    public init(_ context: Context, type: SocketType, lingerMilliseconds: Int32 = 1000) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw ZeroMQError(code: zmq_errno(), operation: "zmq_socket")
        }
        self.context = context
        self.type = type
        self.handle = handle
        self.message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
        zmq_msg_init(message)
        try setInt32(ZMQ_LINGER, lingerMilliseconds, "ZMQ_LINGER")
    }

    deinit {
        close()
        zmq_msg_close(message)
        message.deallocate()
    }

    /// Closes the socket now (idempotent). Unsent messages are kept for at most the linger time.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        _ = zmq_close(handle)
    }

    func requireHandle(_ operation: StaticString) throws(ZeroMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZeroMQError(code: ENOTSOCK, operation: "\(operation)", detail: "socket closed") }
        return handle
    }

    /// Binds to an endpoint such as `tcp://*:5557`, `ipc:///path/sock` or `inproc://name`.
    public func bind(_ endpoint: String) throws(ZeroMQError) {
        let handle = try requireHandle("zmq_bind")
        try zmqCheck("zmq_bind", detail: endpoint) { zmq_bind(handle, endpoint) }
    }

    /// Connects to an endpoint; libzmq reconnects by itself whenever the peer goes away and comes back.
    public func connect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try requireHandle("zmq_connect")
        try zmqCheck("zmq_connect", detail: endpoint) { zmq_connect(handle, endpoint) }
    }

    /// Sends a multipart message. Returns `false` when `dontWait` is set and the message cannot be queued
    /// now (high-water mark reached, or no peer with `immediate`); nothing is sent in that case.
    @discardableResult
    public func send(_ frames: [[UInt8]], dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        let handle = try requireHandle("zmq_send")
        precondition(!frames.isEmpty, "a ZeroMQ message has at least one frame")
        for (index, frame) in frames.enumerated() {
            let isLast = index == frames.count - 1
            var flags: Int32 = isLast ? 0 : ZMQ_SNDMORE
            // libzmq queues a multipart message atomically: once the first frame is accepted the others are
            // too, so only the first frame may be sent without waiting.
            if dontWait && index == 0 { flags |= ZMQ_DONTWAIT }
            let sent = try zmqCall("zmq_send") {
                frame.withUnsafeBytes { zmq_send(handle, $0.baseAddress, $0.count, flags) }
            }
            if sent == nil {
                if index == 0 { return false }
                throw ZeroMQError(code: EAGAIN, operation: "zmq_send", detail: "timed out inside a multipart message")
            }
        }
        return true
    }

    /// Receives one whole multipart message. Returns `nil` when `dontWait` is set and nothing is queued, or
    /// when the receive timeout expires.
    public func receive(dontWait: Bool = false) throws(ZeroMQError) -> [[UInt8]]? {
        let handle = try requireHandle("zmq_msg_recv")
        var frames: [[UInt8]] = []
        repeat {
            let flags: Int32 = (dontWait && frames.isEmpty) ? ZMQ_DONTWAIT : 0
            let received = try zmqCall("zmq_msg_recv") { zmq_msg_recv(message, handle, flags) }
            guard received != nil else {
                if frames.isEmpty { return nil }
                throw ZeroMQError(code: EAGAIN, operation: "zmq_msg_recv", detail: "timed out inside a multipart message")
            }
            let size = zmq_msg_size(message)
            if size == 0 {
                frames.append([])
            } else if let data = zmq_msg_data(message) {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            }
        } while zmq_msg_more(message) != 0
        return frames
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for this socket alone to become ready.
    public func poll(_ events: PollEvents, timeoutMilliseconds: Int) throws(ZeroMQError) -> PollEvents {
        let poller = Poller()
        poller.register(self, for: events)
        return try poller.poll(timeoutMilliseconds: timeoutMilliseconds).first ?? []
    }

    /// The raw handle for polling; `nil` once closed.
    var rawHandle: UnsafeMutableRawPointer? { handle }
}

@available(*, unavailable)
extension Socket: Sendable {}
