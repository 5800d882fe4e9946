/// The one error type shared by the role modules: a code, what happened in words a user can act on, and the
/// underlying error.
public struct RoleError: Error, CustomStringConvertible, Sendable {
    /// What part of a role failed.
    public enum Code: String, Sendable {
        case dataFolder = "data_folder"
        case configuration
        case socket
        case storage
        case source
        case child
    }

    /// What failed.
    public let code: Code
    /// What happened and what the user can do.
    public let message: String
    /// The error underneath, if any.
    public let underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
