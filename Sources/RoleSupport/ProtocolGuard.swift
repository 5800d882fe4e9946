import Logging
import NewsModel

/// Decodes incoming frames for a role and deals with protocol violations in one way everywhere: the message
/// is dropped, counted in `newsflow_messages_rejected_total{reason}` and logged, and the role keeps running.
public struct ProtocolGuard: Sendable {
    private let counters: RoleCounters
    private let logger: Logger

    /// A guard that counts with `counters` and logs with `logger`.
    public init(counters: RoleCounters, logger: Logger) {
        self.counters = counters
        self.logger = logger
    }

    /// The message in `frames`, or `nil` after rejecting it.
    public func decode(_ frames: ArraySlice<[UInt8]>, endpoint: String) -> WireMessage? {
        do {
            return try WireCodec.decode(frames)
        } catch {
            reject(error, endpoint: endpoint)
            return nil
        }
    }

    /// Rejects a well-formed message of a kind this endpoint does not take.
    public func rejectKind(_ message: WireMessage, endpoint: String) {
        reject(WireError(.unknownKind, "\(message.kind) is not accepted on the \(endpoint) endpoint"), endpoint: endpoint)
    }

    private func reject(_ error: WireError, endpoint: String) {
        counters.rejected(error.code.rawValue)
        logger.warning("rejected a message that does not follow the protocol",
                       metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
    }
}
