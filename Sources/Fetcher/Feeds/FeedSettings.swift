import Foundation
import Yams

/// The feed source's configuration: the feeds (a YAML list in their own file, since there may be hundreds)
/// and how politely they and their pages are fetched.
public struct FeedSettings: Sendable {
    /// One feed to poll.
    public struct Feed: Sendable, Equatable {
        public var url: URL
        /// Seconds between polls.
        public var interval: Double
        public var name: String?
        public var tags: [String]
        /// Publish each item's own content instead of fetching its page.
        public var useItemContent: Bool
    }

    public var feeds: [Feed] = []
    /// Sent with every request.
    public var userAgent = "newsflow/\(version) (+https://github.com/newsflow/newsflow)"
    /// The whole of one request, connection to last byte.
    public var timeout: Duration = .seconds(10)
    /// At least this long between two requests to one host (one request in flight per host in any case).
    public var hostDelay: Duration = .seconds(1)
    public var maxRedirects = 5
    /// Cap of the backoff after failures, which doubles from the feed's interval.
    public var maxBackoff: Duration = .seconds(3600)
    /// Requests in flight at once, each to a different host.
    public var concurrency = 8
    /// How long items already fetched are remembered when no feed lists them any more (days).
    public var rememberDays = 30.0
    /// Largest feed or page body read; the rest of the transfer is cut off.
    public var maxBodyBytes = 8 << 20

    static let version = "0.3.0"

    public init() {}

    /// A problem with the feeds file, with where it is.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the feeds file: a YAML sequence of mappings with `url` (required, http or https), `interval_s`
    /// (default 300, at least 1), `name`, `tags` (a list of strings) and `use_item_content` (default false).
    public static func feeds(fromFile path: String) throws(Invalid) -> [Feed] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(description: "cannot read the feeds file \(path): \(error.localizedDescription)")
        }
        guard text.utf8.count <= 4 << 20 else { throw Invalid(description: "\(path): over 4 MiB; split it") }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw Invalid(description: "\(path): not valid YAML: \(error)")
        }
        guard let root else { return [] }
        guard let list = root.sequence else {
            throw Invalid(description: "\(path): expected a list of feeds (`- url: ...`)")
        }
        var feeds: [Feed] = []
        var seen = Set<String>()
        for (index, node) in list.enumerated() {
            let place = "\(path), feed \(index + 1)"
            guard let mapping = node.mapping else { throw Invalid(description: "\(place): expected a mapping with url") }
            var fields: [String: Node] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { throw Invalid(description: "\(place): keys must be plain words") }
                guard ["url", "interval_s", "name", "tags", "use_item_content"].contains(name) else {
                    throw Invalid(description: "\(place): unknown key \(name) (url, interval_s, name, tags, use_item_content)")
                }
                fields[name] = value
            }
            guard let address = fields["url"]?.scalar?.string, let url = URL(string: address),
                  let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
            else {
                throw Invalid(description: "\(place): url must be an http:// or https:// address")
            }
            guard seen.insert(url.absoluteString).inserted else {
                throw Invalid(description: "\(place): \(address) is listed twice")
            }
            var interval = 300.0
            if let value = fields["interval_s"] {
                guard let seconds = value.scalar.flatMap({ Double($0.string) }), seconds >= 1, seconds <= 7 * 86_400 else {
                    throw Invalid(description: "\(place): interval_s must be a number of seconds from 1 to 604800")
                }
                interval = seconds
            }
            var tags: [String] = []
            if let value = fields["tags"] {
                guard let sequence = value.sequence else { throw Invalid(description: "\(place): tags must be a list") }
                tags = sequence.compactMap { $0.scalar?.string }.filter { !$0.isEmpty }
            }
            var useItemContent = false
            if let value = fields["use_item_content"] {
                guard let flag = value.scalar.flatMap({ Bool($0.string) }) else {
                    throw Invalid(description: "\(place): use_item_content must be true or false")
                }
                useItemContent = flag
            }
            feeds.append(Feed(
                url: url, interval: interval, name: fields["name"]?.scalar?.string, tags: tags,
                useItemContent: useItemContent))
        }
        return feeds
    }
}
