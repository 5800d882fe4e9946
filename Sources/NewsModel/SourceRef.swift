/// Where an article came from: the kind of source and a URI within it.
public struct SourceRef: Codable, Hashable, Sendable {
    /// `dir`, `stdin`, `zmq` (injected by an outside client), `feed` or `replay`.
    public var kind: String
    /// A file path, feed URL, endpoint or stream name; may be empty.
    public var uri: String

    /// Creates a source reference.
    public init(kind: String, uri: String) {
        self.kind = kind
        self.uri = uri
    }
}
