import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Calls `handler` whenever the process receives `signal` (instead of the signal's default action).
public final class SignalWatcher {
    private let source: any DispatchSourceSignal

    /// Starts watching.
    public init(signal number: Int32, handler: @escaping @Sendable () -> Void) {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
        self.source = source
    }

    /// Stops watching.
    public func cancel() { source.cancel() }
}
