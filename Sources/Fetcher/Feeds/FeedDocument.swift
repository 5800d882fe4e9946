import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One entry of an RSS 2.0 or Atom feed.
struct FeedItem: Equatable {
    /// `<guid>` (RSS) or `<id>` (Atom), when the feed gives one.
    var guid: String?
    /// The article's address: `<link>` (RSS) or `<link rel="alternate" href>` (Atom), resolved against the feed.
    var link: String?
    var title: String?
    /// `pubDate`, `dc:date`, `published` or `updated`, as written.
    var published: String?
    /// The full content when the feed carries it (`content:encoded`, Atom `content`), else the summary
    /// (`description`, Atom `summary`).
    var content: String?
    var authors: [String] = []

    /// What identifies the item across polls: its GUID, else its link, else title and date.
    var identity: String? {
        if let guid, !guid.isEmpty { return "guid:" + guid }
        if let link, !link.isEmpty { return "link:" + link }
        if let title, !title.isEmpty { return "title:" + title + "|" + (published ?? "") }
        return nil
    }
}

/// A feed document read with libxml2 (FoundationXML's `XMLParser`): RSS 2.0 (also 0.9x and RDF 1.0, which
/// share its item shape) and Atom 1.0. Invalid XML is an error, never a partial list.
enum FeedDocument {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func items(of data: Data, base: URL) throws(Invalid) -> [FeedItem] {
        let reader = Reader(base: base)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            let error = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw Invalid(description: "not a well-formed feed (line \(parser.lineNumber)): \(error)")
        }
        guard reader.sawFeed else {
            throw Invalid(description: "not an RSS or Atom feed (root element <\(reader.root ?? "none")>)")
        }
        return reader.items
    }

    private final class Reader: NSObject, XMLParserDelegate {
        let base: URL
        var items: [FeedItem] = []
        var root: String?
        var sawFeed = false
        private var current: FeedItem?
        private var text = ""
        private var depthInItem = 0
        private var inAuthor = false

        init(base: URL) {
            self.base = base
        }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let lower = name.lowercased()
            if root == nil {
                root = lower
                sawFeed = ["rss", "feed", "rdf:rdf", "rdf"].contains(lower)
            }
            if lower == "item" || lower == "entry" {
                current = FeedItem()
                depthInItem = 0
                return
            }
            guard current != nil else { return }
            depthInItem += 1
            text = ""
            if lower == "author" { inAuthor = true }
            if lower == "link", let href = attributes["href"] {
                let rel = attributes["rel"]?.lowercased() ?? "alternate"
                if rel == "alternate", current?.link == nil || attributes["type"]?.contains("html") == true {
                    current?.link = resolve(href)
                }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if current != nil { text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if current != nil { text += String(decoding: block, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let lower = name.lowercased()
            if lower == "item" || lower == "entry", let item = current {
                items.append(item)
                current = nil
                return
            }
            guard current != nil else { return }
            let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            defer { text = "" }
            switch lower {
            case "guid", "id": if current?.guid == nil, !value.isEmpty { current?.guid = value }
            case "link": if current?.link == nil, !value.isEmpty { current?.link = resolve(value) }
            case "title": if current?.title == nil { current?.title = value }
            case "pubdate", "dc:date", "published": if !value.isEmpty { current?.published = value }
            case "updated": if current?.published == nil, !value.isEmpty { current?.published = value }
            case "content:encoded", "content": if !value.isEmpty { current?.content = value }
            case "description", "summary": if current?.content == nil, !value.isEmpty { current?.content = value }
            case "name": if inAuthor, !value.isEmpty { current?.authors.append(value) }
            case "author", "dc:creator":
                if lower == "author" { inAuthor = false }
                if !value.isEmpty, current?.authors.isEmpty == true { current?.authors.append(value) }
            default: break
            }
        }

        private func resolve(_ link: String) -> String {
            URL(string: link, relativeTo: base)?.absoluteString ?? link
        }
    }
}
