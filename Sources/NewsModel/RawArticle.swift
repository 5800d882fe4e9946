/// One raw article as the fetcher dispatches it: identity, provenance and the unparsed bytes.
public struct RawArticle: Sendable, Equatable {
    /// Stable content id (``ArticleID`` of `body`, or an id given by the producer).
    public var id: String
    /// Monotonically increasing sequence number assigned by the fetcher; the unit of acknowledgement.
    public var seq: UInt64
    /// How many times this article has been dispatched, starting at 1.
    public var attempt: Int
    /// Where it came from.
    public var source: SourceRef
    /// When the fetcher took it (RFC 3339, UTC).
    public var fetchedAt: String
    /// The file name or producer-given name, a hint for the parser (e.g. `.html`, `.json`).
    public var name: String?
    /// The raw bytes, exactly as read.
    public var body: [UInt8]
    /// Set by the fetcher on the last dispatch of an article that failed too often: the worker must not
    /// parse it again but dead-letter it with this reason.
    public var deadLetterReason: String?

    /// Creates a raw article.
    public init(
        id: String, seq: UInt64, attempt: Int = 1, source: SourceRef, fetchedAt: String, name: String? = nil,
        body: [UInt8], deadLetterReason: String? = nil
    ) {
        self.id = id
        self.seq = seq
        self.attempt = attempt
        self.source = source
        self.fetchedAt = fetchedAt
        self.name = name
        self.body = body
        self.deadLetterReason = deadLetterReason
    }
}
