import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// The single path through which every libzmq call that reports errors goes.
///
/// Runs `body` until it does not fail with `EINTR`; maps `EAGAIN` to `nil` ("would block" or "timed out");
/// throws a ``ZeroMQError`` for every other failure. A return code is never ignored.
@inline(__always)
func zmqCall(_ operation: StaticString, detail: @autoclosure () -> String = "", _ body: () -> Int32)
    throws(ZeroMQError) -> Int32?
{
    while true {
        let rc = body()
        if rc >= 0 { return rc }
        let code = zmq_errno()
        if code == EINTR { continue }
        if code == EAGAIN { return nil }
        throw ZeroMQError(code: code, operation: "\(operation)", detail: detail())
    }
}

/// Like ``zmqCall(_:detail:_:)`` for calls where "would block" cannot happen or is itself an error.
@inline(__always)
func zmqCheck(_ operation: StaticString, detail: @autoclosure () -> String = "", _ body: () -> Int32)
    throws(ZeroMQError)
{
    guard try zmqCall(operation, detail: detail(), body) != nil else {
        throw ZeroMQError(code: EAGAIN, operation: "\(operation)", detail: detail())
    }
}
