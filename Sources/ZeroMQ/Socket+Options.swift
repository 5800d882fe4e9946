import CZeroMQ

extension Socket {
    func setInt32(_ option: Int32, _ value: Int32, _ name: String) throws(ZeroMQError) {
        let handle = try requireHandle("zmq_setsockopt")
        var value = value
        try zmqCheck("zmq_setsockopt", detail: name) {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size)
        }
    }

    func setInt64(_ option: Int32, _ value: Int64, _ name: String) throws(ZeroMQError) {
        let handle = try requireHandle("zmq_setsockopt")
        var value = value
        try zmqCheck("zmq_setsockopt", detail: name) {
            zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size)
        }
    }

    func setBytes(_ option: Int32, _ value: [UInt8], _ name: String) throws(ZeroMQError) {
        let handle = try requireHandle("zmq_setsockopt")
        try zmqCheck("zmq_setsockopt", detail: name) {
            value.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        }
    }

    func getInt32(_ option: Int32, _ name: String) throws(ZeroMQError) -> Int32 {
        let handle = try requireHandle("zmq_getsockopt")
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        try zmqCheck("zmq_getsockopt", detail: name) { zmq_getsockopt(handle, option, &value, &size) }
        return value
    }

    /// How long (ms) unsent messages are kept after `close()`; -1 waits forever (never use that here).
    public func setLinger(milliseconds: Int32) throws(ZeroMQError) {
        try setInt32(ZMQ_LINGER, milliseconds, "ZMQ_LINGER")
    }

    /// Messages queued per peer on the sending side before `send` blocks (PUSH, DEALER) or drops (ROUTER, PUB).
    public func setSendHighWaterMark(_ messages: Int32) throws(ZeroMQError) {
        try setInt32(ZMQ_SNDHWM, messages, "ZMQ_SNDHWM")
    }

    /// Messages queued per peer on the receiving side.
    public func setReceiveHighWaterMark(_ messages: Int32) throws(ZeroMQError) {
        try setInt32(ZMQ_RCVHWM, messages, "ZMQ_RCVHWM")
    }

    /// A blocking `receive` returns `nil` after this many milliseconds (-1: wait forever).
    public func setReceiveTimeout(milliseconds: Int32) throws(ZeroMQError) {
        try setInt32(ZMQ_RCVTIMEO, milliseconds, "ZMQ_RCVTIMEO")
    }

    /// A blocking `send` gives up after this many milliseconds (-1: wait forever).
    public func setSendTimeout(milliseconds: Int32) throws(ZeroMQError) {
        try setInt32(ZMQ_SNDTIMEO, milliseconds, "ZMQ_SNDTIMEO")
    }

    /// Queue messages only to completed connections, never to peers that are not up yet.
    public func setImmediate(_ on: Bool) throws(ZeroMQError) {
        try setInt32(ZMQ_IMMEDIATE, on ? 1 : 0, "ZMQ_IMMEDIATE")
    }

    /// Disconnects any peer that sends a message larger than this many bytes (-1: no limit).
    public func setMaxMessageSize(_ bytes: Int64) throws(ZeroMQError) {
        try setInt64(ZMQ_MAXMSGSIZE, bytes, "ZMQ_MAXMSGSIZE")
    }

    /// The identity a DEALER or REQ socket presents to a ROUTER. Set before connecting.
    public func setRoutingID(_ id: [UInt8]) throws(ZeroMQError) {
        try setBytes(ZMQ_ROUTING_ID, id, "ZMQ_ROUTING_ID")
    }

    /// A ROUTER fails with `EHOSTUNREACH` instead of silently dropping a message to an unknown peer.
    public func setRouterMandatory(_ on: Bool) throws(ZeroMQError) {
        try setInt32(ZMQ_ROUTER_MANDATORY, on ? 1 : 0, "ZMQ_ROUTER_MANDATORY")
    }

    /// Subscribes a SUB socket to messages starting with `prefix` (empty: everything).
    public func subscribe(_ prefix: [UInt8] = []) throws(ZeroMQError) {
        try setBytes(ZMQ_SUBSCRIBE, prefix, "ZMQ_SUBSCRIBE")
    }

    /// The endpoint the socket last bound to, with the real port when bound to `tcp://...:*` or `:0`.
    public func lastEndpoint() throws(ZeroMQError) -> String {
        let handle = try requireHandle("zmq_getsockopt")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        try zmqCheck("zmq_getsockopt", detail: "ZMQ_LAST_ENDPOINT") {
            zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size)
        }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
