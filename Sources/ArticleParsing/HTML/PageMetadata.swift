import Foundation

/// What a page says about itself: headline, publication date, authors, canonical URL and language, from
/// JSON-LD (`NewsArticle` and kin), Open Graph and other `<meta>` tags, `<time>`, microdata and bylines,
/// in that order of trust.
struct PageMetadata {
    var title: String?
    var published: String?
    var authors: [String] = []
    var canonicalURL: String?
    var language: String?
    /// JSON-LD `articleBody`, when the page gives one.
    var articleBody: String?

    /// `text`: an element's text; `attributes`: the attributes at a range of the page's bytes.
    init(tree: HTMLTree, text: (Int) -> String, attributes attributesAt: (Range<Int>) -> [String: String]) {
        var meta: [String: String] = [:]
        for attributes in tree.metaTags {
            let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"] ?? attributes["http-equiv"] ?? "")
                .lowercased()
            guard !key.isEmpty, let content = attributes["content"], !content.isEmpty else { continue }
            if meta[key] == nil { meta[key] = content }
        }
        let linked = LinkedData(scripts: tree.jsonLD)
        articleBody = linked.articleBody

        // Title: the headline the page states, without the site's name appended to it.
        let site = meta["og:site_name"].map { TextCleaner.clean($0) }
        let heading = tree.firstHeading.map { text(Int($0)) }.flatMap { $0.isEmpty ? nil : $0 }
        let stated = [meta["og:title"], linked.headline, meta["twitter:title"], tree.titleText]
            .compactMap { $0.map { TextCleaner.clean($0) } }.filter { !$0.isEmpty }
        // The visible headline wins when it reads like one: social titles are often rewritten for sharing.
        let headingWords = heading.map { $0.split(separator: " ").count } ?? 0
        if let heading,
           stated.isEmpty || stated.contains(where: { Self.sameHeadline($0, heading) })
            || (headingWords >= 4 && headingWords <= 40 && heading.caseInsensitiveCompare(site ?? "") != .orderedSame)
        {
            title = heading
        } else if let first = stated.first {
            title = Self.withoutSiteName(first, site: site)
        } else {
            title = heading
        }

        // Date: JSON-LD, then the meta tags publishers and CMSs write, then <time>, then the URL.
        let dateKeys = [
            "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate", "publishdate",
            "publish-date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.date", "sailthru.date",
            "parsely-pub-date", "article.published", "published_time", "og:published_time", "cxenseparse:recs:publishtime",
            "date.release", "displaydate", "article:modified_time", "og:updated_time", "datemodified",
        ]
        var published = linked.datePublished.flatMap(DateText.normalize)
        for key in dateKeys where published == nil {
            published = meta[key].flatMap(DateText.normalize)
        }
        if published == nil {
            for (element, range) in tree.marked {
                let attributes = attributesAt(range)
                guard attributes["itemprop"]?.lowercased() == "datepublished" else { continue }
                if let value = attributes["datetime"] ?? attributes["content"] ?? Optional(text(Int(element))),
                   let date = DateText.normalize(value)
                {
                    published = date
                    break
                }
            }
        }
        if published == nil {
            published = tree.timeTags.lazy.compactMap { $0.attributes["datetime"].flatMap(DateText.normalize) }.first
        }
        if published == nil {
            // A visible date in an element named for it (`article-date`, `publish-time`), not an update time.
            for (element, range) in tree.marked {
                let attributes = attributesAt(range)
                let words = ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "")).lowercased()
                guard words.contains("date") || words.contains("publish"), !words.contains("update"), !words.contains("modif")
                else { continue }
                let shown = text(Int(element))
                if shown.utf8.count <= 80, let date = DateText.normalize(shown) {
                    published = date
                    break
                }
            }
        }
        canonicalURL = tree.links.first { $0["rel"]?.lowercased().split(separator: " ").contains("canonical") == true }?["href"]
            ?? meta["og:url"]
        if published == nil, let url = canonicalURL { published = Self.dateInURL(url) }
        self.published = published

        // Authors: JSON-LD names, then meta tags that hold names (not profile URLs), then bylines.
        var authors = linked.authors
        if authors.isEmpty {
            for key in ["author", "article:author", "byl", "sailthru.author", "parsely-author", "dc.creator", "citation_author"] {
                if let value = meta[key], !value.contains("://") {
                    authors = Self.names(value)
                    break
                }
            }
        }
        if authors.isEmpty {
            for (element, range) in tree.marked {
                let attributes = attributesAt(range)
                let isAuthor = attributes["rel"]?.lowercased() == "author" || attributes["itemprop"]?.lowercased() == "author"
                    || Self.namesByline(attributes)
                guard isAuthor else { continue }
                let found = Self.names(text(Int(element)))
                if !found.isEmpty {
                    authors = found
                    break
                }
            }
        }
        self.authors = Array(authors.prefix(10))
        language = (linked.language ?? tree.htmlLanguage ?? meta["og:locale"] ?? meta["content-language"])
            .flatMap(Self.languageCode)
    }

    /// Class or id words of a byline (`byline`, `author`).
    static func namesByline(_ attributes: [String: String]) -> Bool {
        let words = ((attributes["class"] ?? "") + " " + (attributes["id"] ?? "")).lowercased()
        return words.utf8.count > 5 && (words.contains("byline") || words.contains("author"))
    }

    /// Whether two headlines are the same up to case, punctuation and a site name added to one.
    static func sameHeadline(_ stated: String, _ heading: String) -> Bool {
        let a = stated.lowercased().filter { $0.isLetter || $0.isNumber }
        let b = heading.lowercased().filter { $0.isLetter || $0.isNumber }
        guard !b.isEmpty else { return false }
        return a == b || a.hasPrefix(b) || (b.hasPrefix(a) && a.count * 2 > b.count)
    }

    /// `Story | Site`, `Story - Site`, `Site: Story` without the site part.
    static func withoutSiteName(_ title: String, site: String?) -> String {
        for separator in [" | ", " - ", " — ", " – ", " :: ", " · ", " « ", " » "] {
            let parts = title.components(separatedBy: separator)
            guard parts.count >= 2 else { continue }
            if let site, let index = parts.firstIndex(where: { $0.caseInsensitiveCompare(site) == .orderedSame }) {
                var rest = parts
                rest.remove(at: index)
                return rest.joined(separator: separator)
            }
            if parts.count == 2, let first = parts.first, first.split(separator: " ").count <= 2,
               parts[1].count > first.count * 3
            {
                // `PolitiFact - Story`, `Opinion | Story`: a site or section name in front.
                return parts[1]
            }
            // The last part is a site name when it is short next to the rest.
            if let last = parts.last, last.count <= 30, last.split(separator: " ").count <= 4,
               parts.dropLast().joined().count > last.count * 2
            {
                return parts.dropLast().joined(separator: separator)
            }
        }
        return title
    }

    /// Names from a byline: `By Jane Doe and John Roe`, `Jane Doe, John Roe`, without roles and dates.
    static func names(_ byline: String) -> [String] {
        var text = TextCleaner.clean(byline)
        guard !text.isEmpty, text.count <= 200 else { return [] }
        for prefix in ["by ", "written by ", "words by ", "story by ", "por ", "von ", "par "] where text.lowercased().hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count))
        }
        let separators = [" and ", " & ", ", ", ";", "|", " with "]
        var parts = [text]
        for separator in separators {
            parts = parts.flatMap { $0.components(separatedBy: separator) }
        }
        return parts.map { $0.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)) }.filter { part in
            let words = part.split(separator: " ")
            guard (1...5).contains(words.count), part.count <= 60, !part.contains("://"), !part.contains("@") else { return false }
            // A name is capitalized words, not a date, a role or a sentence.
            return words.allSatisfy { word in word.first.map { $0.isUppercase || !$0.isLetter } ?? false }
                && !part.contains(where: \.isNumber)
        }
    }

    /// `/2023/12/17/`, `2023-12-17` or `/2023/dec/17/` in a URL.
    static func dateInURL(_ url: String) -> String? {
        let parts = url.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
        for index in 0..<max(0, parts.count - 2) {
            guard parts[index].count == 4, let year = Int(parts[index]), (1990...2100).contains(year),
                  let month = parts[index + 1].count <= 2 ? Int(parts[index + 1]) : Months.number(String(parts[index + 1])),
                  parts[index + 2].count <= 2, let day = Int(parts[index + 2])
            else { continue }
            if let date = DateText.iso(year: year, month: month, day: day) { return date }
        }
        return nil
    }

    /// `en-US`, `en_GB`, `EN` → `en`.
    static func languageCode(_ value: String) -> String? {
        let code = value.prefix { $0.isLetter }.lowercased()
        return code.count == 2 ? code : nil
    }
}

/// The article object of a page's JSON-LD: `NewsArticle`, `Article`, `ReportageNewsArticle`, `BlogPosting`
/// and their kin, found at the top, in arrays or in `@graph`.
struct LinkedData {
    var headline: String?
    var datePublished: String?
    var authors: [String] = []
    var articleBody: String?
    var language: String?

    private static let articleTypes: Set<String> = [
        "newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle", "opinionnewsarticle",
        "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting", "scholarlyarticle", "techarticle", "report",
        "socialmediaposting", "webpage",
    ]

    init(scripts: [String]) {
        var best: [String: Any]? = nil
        var bestRank = Int.max
        for script in scripts {
            let bytes = script.utf8.drop { $0 <= 0x20 }
            guard bytes.count < 4_000_000, bytes.first == UInt8(ascii: "{") || bytes.first == UInt8(ascii: "["),
                  let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            else { continue }
            for object in Self.objects(in: value, depth: 0) {
                guard let rank = Self.rank(object), rank < bestRank else { continue }
                best = object
                bestRank = rank
            }
        }
        guard let best else { return }
        headline = (best["headline"] as? String) ?? (best["name"] as? String)
        datePublished = (best["datePublished"] as? String) ?? (best["dateCreated"] as? String)
        articleBody = best["articleBody"] as? String
        language = best["inLanguage"] as? String
        authors = Self.names(best["author"] ?? best["creator"])
    }

    /// How good an article object is: news articles first, plain web pages last; `nil` if none.
    private static func rank(_ object: [String: Any]) -> Int? {
        let types: [String]
        if let type = object["@type"] as? String {
            types = [type]
        } else if let list = object["@type"] as? [String] {
            types = list
        } else {
            return nil
        }
        let lower = types.map { $0.lowercased() }
        guard lower.contains(where: { articleTypes.contains($0) }) else { return nil }
        if lower.contains(where: { $0.hasSuffix("newsarticle") }) { return 0 }
        if lower.contains("webpage") { return object["headline"] == nil ? 3 : 2 }
        return 1
    }

    private static func objects(in value: Any, depth: Int) -> [[String: Any]] {
        guard depth < 6 else { return [] }
        if let list = value as? [Any] { return list.flatMap { objects(in: $0, depth: depth + 1) } }
        guard let object = value as? [String: Any] else { return [] }
        var found = [object]
        if let graph = object["@graph"] { found += objects(in: graph, depth: depth + 1) }
        if let main = object["mainEntity"] { found += objects(in: main, depth: depth + 1) }
        return found
    }

    private static func names(_ value: Any?) -> [String] {
        switch value {
        case let text as String:
            return text.contains("://") ? [] : PageMetadata.names(text)
        case let object as [String: Any]:
            guard let name = object["name"] as? String, !name.contains("://") else { return [] }
            let cleaned = TextCleaner.clean(name)
            return cleaned.isEmpty ? [] : [cleaned]
        case let list as [Any]:
            var seen = Set<String>()
            return list.flatMap { names($0) }.filter { seen.insert($0).inserted }
        default:
            return []
        }
    }
}
