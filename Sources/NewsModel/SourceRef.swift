/// Where an article came from: the kind of source and a URI within it.
public struct SourceRef: Codable, Hashable, Sendable {
    /// `dir`, `stdin`, `zmq` (injected by an outside client), `feed` or `replay`.
    public var kind: String
    /// A file path, page URL, endpoint or stream name; may be empty.
    public var uri: String
    /// For kind `feed`: the feed's URL as configured.
    public var feed: String?
    /// For kind `feed`: the feed's name, when the configuration gives one.
    public var feedName: String?
    /// For kind `feed`: the feed's tags.
    public var tags: [String]?
    /// For kind `feed`: the item's date as the feed writes it (`pubDate`, `published`, `updated`), which
    /// dates a page that gives none. Replays keep it.
    public var published: String?

    /// Creates a source reference.
    public init(kind: String, uri: String, feed: String? = nil, feedName: String? = nil, tags: [String]? = nil,
                published: String? = nil) {
        self.kind = kind
        self.uri = uri
        self.feed = feed
        self.feedName = feedName
        self.tags = tags
        self.published = published
    }

    enum CodingKeys: String, CodingKey {
        case kind, uri, feed, tags, published
        case feedName = "feed_name"
    }
}
