import CZeroMQ
import Foundation

/// The ZAP handler of a context (ZeroMQ RFC 27): libzmq asks it about every client of the context's CURVE
/// servers and lets in only those it approves. Without a handler libzmq accepts any client key, so a
/// server that requires clients to be known must start one before it binds.
///
/// This one approves the CURVE clients whose public key is in an allow-list and refuses everything else.
/// It answers on its own thread until ``stop()``.
public final class ZAPHandler: @unchecked Sendable {
    /// What was decided about one connection attempt.
    public struct Decision: Sendable {
        /// Whether the client was let in.
        public var allowed: Bool
        /// The client's public key (Z85), if it presented one.
        public var clientKey: String?
        /// The client's address as libzmq reports it (`192.0.2.7` for tcp).
        public var address: String
        /// Why, in words.
        public var reason: String
    }

    private let stopping = NSLock()
    private var stopRequested = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// Binds the handler in `context` (before any server socket of that context binds) and starts
    /// answering. `onDecision` is called on the handler's thread for every request.
    public init(context: Context, allowedKeys: Set<[UInt8]>,
                onDecision: @escaping @Sendable (Decision) -> Void) throws(ZeroMQError) {
        let ready = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: ZeroMQError? = nil
        let thread = Thread { [self] in
            let socket: Socket
            do throws(ZeroMQError) {
                socket = try Socket(context, type: .rep, lingerMilliseconds: 0)
                try socket.bind("inproc://zeromq.zap.01")
            } catch {
                failure = error
                ready.signal()
                finished.signal()
                return
            }
            ready.signal()
            serve(socket, allowedKeys: allowedKeys, onDecision: onDecision)
            socket.close()
            finished.signal()
        }
        thread.name = "zap"
        self.thread = thread
        thread.start()
        ready.wait()
        if let failure { throw failure }
    }

    /// Stops answering and waits for the handler's thread (at most about 200 ms).
    public func stop() {
        stopping.lock()
        let already = stopRequested
        stopRequested = true
        stopping.unlock()
        if !already { finished.wait() }
    }

    private var shouldStop: Bool {
        stopping.lock()
        defer { stopping.unlock() }
        return stopRequested
    }

    private func serve(_ socket: Socket, allowedKeys: Set<[UInt8]>, onDecision: @Sendable (Decision) -> Void) {
        while !shouldStop {
            guard let ready = try? socket.poll(.readable, timeoutMilliseconds: 100), ready.contains(.readable),
                  let request = try? socket.receive(dontWait: true)
            else { continue }
            let reply = Self.answer(request, allowedKeys: allowedKeys)
            onDecision(reply.decision)
            _ = try? socket.send(reply.frames)
        }
    }

    /// The reply to one request: `1.0`, request id, status code, status text, user id, metadata.
    static func answer(_ frames: [[UInt8]], allowedKeys: Set<[UInt8]>) -> (frames: [[UInt8]], decision: Decision) {
        func reply(_ id: [UInt8], _ code: String, _ text: String, user: String = "") -> [[UInt8]] {
            [Array("1.0".utf8), id, Array(code.utf8), Array(text.utf8), Array(user.utf8), []]
        }
        guard frames.count >= 6, frames[0] == Array("1.0".utf8) else {
            let id = frames.count > 1 ? frames[1] : []
            return (reply(id, "500", "malformed ZAP request"),
                    Decision(allowed: false, clientKey: nil, address: "", reason: "malformed ZAP request"))
        }
        let id = frames[1]
        let address = String(decoding: frames[3], as: UTF8.self)
        let mechanism = String(decoding: frames[5], as: UTF8.self)
        guard mechanism == "CURVE", frames.count >= 7, frames[6].count == 32 else {
            return (reply(id, "400", "CURVE required"),
                    Decision(allowed: false, clientKey: nil, address: address, reason: "mechanism \(mechanism), not CURVE"))
        }
        let key = frames[6]
        let text = Curve.encode(key)
        guard allowedKeys.contains(key) else {
            return (reply(id, "400", "unknown client key"),
                    Decision(allowed: false, clientKey: text, address: address, reason: "public key not in the allow-list"))
        }
        return (reply(id, "200", "OK", user: text ?? ""),
                Decision(allowed: true, clientKey: text, address: address, reason: "allowed"))
    }
}
