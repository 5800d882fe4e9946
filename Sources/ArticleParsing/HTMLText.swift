/// A first HTML reader: the title (`og:title`, else `<title>`, else the first `<h1>`), the publication date
/// from `<meta>` / `<time>`, and the text of `<p>` elements outside scripts, styles, navigation, headers,
/// footers, asides and forms. The full boilerplate-removing extractor replaces this.
struct HTMLText {
    var title: String?
    var published: String?
    var paragraphs: [String]

    private static let skipped: Set<String> = [
        "script", "style", "nav", "footer", "aside", "form", "noscript", "header", "svg", "button", "select",
        "template", "iframe", "figcaption",
    ]
    private static let dateMetaNames: Set<String> = [
        "article:published_time", "og:published_time", "date", "pubdate", "publishdate", "dc.date", "dcterms.date",
        "sailthru.date", "parsely-pub-date", "datepublished",
    ]

    init(html: String) {
        var paragraphs: [String] = []
        var titleTag: String? = nil
        var ogTitle: String? = nil
        var heading: String? = nil
        var published: String? = nil
        var skipDepth = 0
        var capture: String? = nil  // "p", "title", "h1"
        var buffer = ""
        var index = html.startIndex
        while index < html.endIndex {
            guard html[index] == "<" else {
                let next = html[index...].firstIndex(of: "<") ?? html.endIndex
                if capture != nil && skipDepth == 0 { buffer += html[index..<next] }
                index = next
                continue
            }
            if html[index...].hasPrefix("<!--") {
                index = html[index...].range(of: "-->")?.upperBound ?? html.endIndex
                continue
            }
            guard let close = html[index...].firstIndex(of: ">") else { break }
            let tag = html[html.index(after: index)..<close]
            index = html.index(after: close)
            let isEnd = tag.hasPrefix("/")
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if Self.skipped.contains(name) {
                if isEnd { skipDepth = max(0, skipDepth - 1) } else if !tag.hasSuffix("/") { skipDepth += 1 }
                continue
            }
            if name == "meta", !isEnd {
                let attributes = Self.attributes(tag)
                let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"] ?? "").lowercased()
                if let content = attributes["content"] {
                    if key == "og:title" { ogTitle = ogTitle ?? content }
                    if Self.dateMetaNames.contains(key) { published = published ?? DateText.normalize(content) }
                }
                continue
            }
            if name == "time", !isEnd, published == nil, let value = Self.attributes(tag)["datetime"] {
                published = DateText.normalize(value)
            }
            if name == "br", capture == "p" { buffer += " " }
            if ["p", "title", "h1"].contains(name) {
                if isEnd, capture == name {
                    let text = TextCleaner.clean(buffer)
                    switch name {
                    case "p": if !text.isEmpty { paragraphs.append(text) }
                    case "title": titleTag = titleTag ?? text
                    default: heading = heading ?? text
                    }
                    capture = nil
                    buffer = ""
                } else if !isEnd, skipDepth == 0 {
                    capture = name
                    buffer = ""
                }
            }
        }
        self.title = [ogTitle, heading, titleTag].compactMap { $0.map { TextCleaner.clean($0) } }.first { !$0.isEmpty }
        self.published = published
        self.paragraphs = paragraphs
    }

    /// `name="value"` pairs of a tag (double, single or no quotes), names lowercased, values decoded.
    static func attributes(_ tag: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = tag.drop { !$0.isWhitespace }
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" }
            guard !name.isEmpty else { break }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop { $0.isWhitespace }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let body = rest.dropFirst()
                    let end = body.firstIndex(of: quote) ?? body.endIndex
                    value = String(body[..<end])
                    rest = end < body.endIndex ? body[body.index(after: end)...] : body[end...]
                } else {
                    let raw = rest.prefix { !$0.isWhitespace }
                    value = String(raw)
                    rest = rest.dropFirst(raw.count)
                }
            }
            result[name.lowercased()] = HTMLEntities.decode(value)
        }
        return result
    }
}
