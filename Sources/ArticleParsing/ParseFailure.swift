/// Why a raw article could not be turned into a record. It goes to `dead-letter/` with this reason.
public struct ParseFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of failure.
    public enum Code: String, Sendable {
        /// The input has no bytes, or only white space.
        case empty
        /// The input is binary data, not text.
        case notText = "not_text"
        /// JSON input that is malformed or has no text field.
        case badJSON = "bad_json"
        /// Nothing readable remained after cleaning.
        case noContent = "no_content"
        /// Parsing took longer than the time budget for one article.
        case timeBudget = "time_budget"
    }

    /// What kind of failure.
    public let code: Code
    /// The reason, for the dead-letter line.
    public let reason: String

    /// Creates a failure.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
