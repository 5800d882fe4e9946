import CZeroMQ

/// Waits on several sockets at once (`zmq_poll`). Like the sockets it polls, it belongs to one thread.
public final class Poller {
    private var items: [zmq_pollitem_t] = []

    /// Creates an empty poller.
    public init() {}

    /// Adds a socket; results of ``poll(timeoutMilliseconds:)`` come back in registration order.
    public func register(_ socket: Socket, for events: PollEvents) {
        items.append(zmq_pollitem_t(socket: socket.rawHandle, fd: -1, events: events.rawValue, revents: 0))
    }

    /// Adds a plain file descriptor (an inotify watch, a pipe); polled for `.readable` like a socket.
    public func register(fileDescriptor: Int32, for events: PollEvents) {
        items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: events.rawValue, revents: 0))
    }

    /// Changes what the `index`-th registered socket is polled for (e.g. drop `.writable` when idle).
    public func update(_ index: Int, events: PollEvents) {
        items[index].events = events.rawValue
    }

    /// Waits until at least one socket is ready or the timeout (ms, -1 forever, 0 return at once) passes,
    /// and returns the ready events per registered socket. An interrupted wait returns nothing ready.
    public func poll(timeoutMilliseconds: Int) throws(ZeroMQError) -> [PollEvents] {
        let count = Int32(items.count)
        let rc = items.withUnsafeMutableBufferPointer { buffer in
            zmq_poll(buffer.baseAddress, count, timeoutMilliseconds)
        }
        if rc < 0 {
            let code = zmq_errno()
            if code == EINTR { return Array(repeating: [], count: items.count) }
            throw ZeroMQError(code: code, operation: "zmq_poll")
        }
        return items.map { PollEvents(rawValue: $0.revents) }
    }
}

@available(*, unavailable)
extension Poller: Sendable {}
