import Foundation
import Testing
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

@Suite("ZeroMQ wrapper")
struct SocketTests {
    @Test("multipart round trip over inproc and ipc", arguments: ["inproc://roundtrip", "ipc"])
    func roundTrip(transport: String) throws {
        let endpoint = transport == "ipc" ? "ipc://\(NSTemporaryDirectory())nf-zmq-\(getpid()).sock" : transport
        let context = try Context()
        let pull = try Socket(context, type: .pull)
        try pull.bind(endpoint)
        let push = try Socket(context, type: .push)
        try push.connect(endpoint)
        let frames: [[UInt8]] = [Array("newsflow/1".utf8), [], Array("héllo wörld".utf8), [UInt8](repeating: 7, count: 100_000)]
        #expect(try push.send(frames))
        try pull.setReceiveTimeout(milliseconds: 5000)
        let received = try pull.receive()
        #expect(received == frames)
    }

    @Test("receive without waiting says would-block as nil")
    func wouldBlock() throws {
        let context = try Context()
        let pull = try Socket(context, type: .pull)
        try pull.bind("inproc://empty")
        #expect(try pull.receive(dontWait: true) == nil)
        try pull.setReceiveTimeout(milliseconds: 50)
        #expect(try pull.receive() == nil)
    }

    @Test("errors are mapped with the call and endpoint")
    func errors() throws {
        let context = try Context()
        let socket = try Socket(context, type: .pull)
        let malformed = #expect(throws: ZeroMQError.self) { try socket.bind("nonsense://x") }
        #expect(malformed?.operation == "zmq_bind")
        #expect(malformed?.detail == "nonsense://x")
        try socket.bind("inproc://taken")
        let other = try Socket(context, type: .pull)
        let taken = #expect(throws: ZeroMQError.self) { try other.bind("inproc://taken") }
        #expect(taken?.code == EADDRINUSE)
        socket.close()
        let closed = #expect(throws: ZeroMQError.self) { try socket.receive(dontWait: true) }
        #expect(closed?.code == ENOTSOCK)
    }

    @Test("poller reports readiness per socket")
    func poller() throws {
        let context = try Context()
        let a = try Socket(context, type: .pull)
        try a.bind("inproc://a")
        let b = try Socket(context, type: .pull)
        try b.bind("inproc://b")
        let sender = try Socket(context, type: .push)
        try sender.connect("inproc://b")
        try sender.send([Array("x".utf8)])
        let poller = Poller()
        poller.register(a, for: .readable)
        poller.register(b, for: .readable)
        let ready = try poller.poll(timeoutMilliseconds: 2000)
        #expect(ready[0].isEmpty)
        #expect(ready[1].contains(.readable))
    }

    @Test("ROUTER and DEALER address each other by routing id; unknown peers are reported")
    func routerDealer() throws {
        let context = try Context()
        let router = try Socket(context, type: .router)
        try router.setRouterMandatory(true)
        try router.bind("inproc://router")
        let dealer = try Socket(context, type: .dealer)
        try dealer.setRoutingID(Array("worker-1".utf8))
        try dealer.connect("inproc://router")
        try dealer.send([Array("ready".utf8)])
        try router.setReceiveTimeout(milliseconds: 2000)
        let got = try router.receive()
        #expect(got == [Array("worker-1".utf8), Array("ready".utf8)])
        try router.send([Array("worker-1".utf8), Array("work".utf8)])
        try dealer.setReceiveTimeout(milliseconds: 2000)
        #expect(try dealer.receive() == [Array("work".utf8)])
        let unknown = #expect(throws: ZeroMQError.self) { try router.send([Array("nobody".utf8), Array("x".utf8)]) }
        #expect(unknown?.code == EHOSTUNREACH)
    }

    @Test("closing with unsent messages does not hang context termination")
    func cleanShutdown() throws {
        var context: Context? = try Context()
        if let context {
            let push = try Socket(context, type: .push, lingerMilliseconds: 0)
            try push.connect("tcp://127.0.0.1:1")  // nobody listens: messages stay queued
            _ = try push.send([Array("lost".utf8)], dontWait: true)
            push.close()
        }
        let started = Date()
        context = nil  // zmq_ctx_term runs here
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("oversized messages disconnect the sender instead of reaching the receiver")
    func maxMessageSize() throws {
        let context = try Context()
        let endpoint = "ipc://\(NSTemporaryDirectory())nf-zmq-max-\(getpid()).sock"
        let pull = try Socket(context, type: .pull)
        try pull.setMaxMessageSize(1000)
        try pull.bind(endpoint)
        let push = try Socket(context, type: .push)
        try push.connect(endpoint)
        try push.send([[UInt8](repeating: 1, count: 5000)])
        try pull.setReceiveTimeout(milliseconds: 300)
        #expect(try pull.receive() == nil)
    }
}
