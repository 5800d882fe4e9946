import Foundation
import ServiceLifecycle

/// Runs a role's blocking ZeroMQ loop on a thread of its own and crosses into async code at this one point.
///
/// libzmq calls block, and Swift's cooperative pool has only as many threads as cores (2 here), so a
/// role's sockets live on a dedicated `Thread`. Graceful shutdown (SIGTERM through the `ServiceGroup`) and
/// task cancellation set the ``StopSignal`` the loop polls; the loop drains and returns.
public enum BlockingLoop {
    /// Runs `body` on a new thread named `name` and waits for it; `body` must return soon after `stop` is set.
    public static func run(
        name: String, _ body: @escaping @Sendable (StopSignal) throws -> Void
    ) async throws {
        let stop = StopSignal()
        let result: Result<Void, any Error> = await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, any Error>, Never>) in
                let thread = Thread {
                    continuation.resume(returning: Result { try body(stop) })
                }
                thread.name = name
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onCancelOrGracefulShutdown: {
            stop.request()
        }
        try result.get()
    }
}
