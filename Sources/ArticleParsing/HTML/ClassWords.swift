/// What class, id, role and itemprop words say about an element. Read on bytes: this runs for every tag of
/// every page.
enum ClassWords {
    /// Words that mark boilerplate wherever they appear in a class or id (`theiaStickySidebar`).
    private static let boilerplateParts: [[UInt8]] = [
        "comment", "sidebar", "related", "share", "sharing", "social", "footer", "newsletter", "subscribe", "promo",
        "sponsor", "advert", "cookie", "consent", "gdpr", "breadcrumb", "popup", "modal", "recirc", "outbrain",
        "taboola", "widget", "banner", "masthead", "navbar", "navigation", "signup", "disqus",
        "skyscraper", "trending", "most-popular", "mostpopular", "recommend", "more-stories", "read-more",
        "readmore", "byline", "author-bio", "pagination", "toolbar", "caption", "credit", "tags", "topics",
        // Quoted posts, which are not the article: any class naming a tweet (`twitter-tweet` of Twitter's
        // embed code, `nojs-tweet`, `tweet-container`), and the class names of the other platforms' embed codes.
        "tweet", "instagram-media", "tiktok-embed", "reddit-embed",
    ].map { Array($0.utf8) }
    /// Whole words (class or id split at `-`, `_`, `:` and spaces) that mark boilerplate.
    private static let boilerplateWords: [[UInt8]] = [
        "ad", "ads", "nav", "menu", "header", "meta", "tools", "print", "login", "rail", "aside",
        "complementary", "contentinfo", "banner", "navigation", "search", "dialog", "alert", "figure",
    ].map { Array($0.utf8) }
    /// Words that mark the article itself.
    private static let contentWords: [[UInt8]] = [
        "article", "articlebody", "body", "content", "entry", "main", "post", "text", "story", "blog", "prose",
        "articlebodytext", "storybody", "richtext", "hentry",
    ].map { Array($0.utf8) }
    /// Whole class names of hidden or screen-reader-only elements.
    private static let hiddenClasses: [[UInt8]] = [
        "hidden", "hide", "d-none", "sr-only", "visually-hidden", "screen-reader-text", "visuallyhidden",
    ].map { Array($0.utf8) }
    private static let comment = Array("comment".utf8)
    private static let header = Array("header".utf8)

    /// What the class, id, role and itemprop words of a page's tags said, by their bytes: pages repeat
    /// their class names many times. Finding words already seen allocates nothing.
    struct Cache {
        private var table = ByteTable(capacity: 1024)
        private var said: [Said] = []

        init() {}

        /// What `words` (and whether they are a heading's, the last byte) said, when they were seen before.
        func find(_ key: UnsafeBufferPointer<UInt8>) -> Said? {
            table.find(key).map { said[Int($0)] }
        }

        mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ value: Said) {
            table.insert(key, id: Int32(said.count))
            said.append(value)
        }
    }

    /// What a set of class, id, role and itemprop words says, cached per page.
    struct Said {
        var weight: Int8
        /// Names a byline, an author or a date.
        var names: Bool
        /// A class name of hidden elements (`hidden`, `sr-only`...).
        var hiddenClass: Bool
        /// Words of article text shown or hidden according to a reader's subscription.
        var paywalled: Bool
    }

    /// What one tag's attributes say, read on its bytes without building a dictionary.
    struct Reading {
        /// -1 for boilerplate, +1 for content, 0 when the words say nothing or say both (`main-content
        /// sidebar`), as Readability reads them.
        var weight: Int8 = 0
        /// `hidden`, `aria-hidden="true"`, `display:none`, or a hidden class name.
        var hidden = false
        /// `itemprop`, `rel`, or a byline/author class or id: metadata may be read from it.
        var marked = false

        init() {}

        /// Reads a tag's attributes; `cache` holds the weights of class words already seen on this page (pages
        /// repeat their class names many times). `heading`: the tag is `h1`...`h6`, whose class may well
        /// call it a header (`header__StyledHeading`) without making it page furniture.
        init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, heading: Bool = false, cache: inout Cache) {
            var words: [UInt8] = []
            var articleBody = false
            var styleHidden = false
            HTMLAttributes.forEach(bytes, range) { name, value in
                if equals(bytes, name, "class") || equals(bytes, name, "id") || equals(bytes, name, "role") {
                    words.append(0x20)
                    for index in value { words.append(lower(bytes[index])) }
                } else if equals(bytes, name, "itemprop") {
                    marked = true
                    articleBody = value.count == 11 && equals(bytes, value, "articlebody")
                    words.append(0x20)
                    for index in value { words.append(lower(bytes[index])) }
                } else if equals(bytes, name, "rel") {
                    marked = true
                } else if equals(bytes, name, "hidden") {
                    hidden = true
                } else if equals(bytes, name, "aria-hidden") {
                    hidden = hidden || equals(bytes, value, "true")
                } else if equals(bytes, name, "style") {
                    let compact = value.compactMap { bytes[$0] == 0x20 ? nil : lower(bytes[$0]) }
                    styleHidden = ClassWords.contains(compact, ClassWords.displayNone)
                        || ClassWords.contains(compact, ClassWords.visibilityHidden)
                }
            }
            guard !words.isEmpty else {
                hidden = hidden || styleHidden
                return
            }
            // Pages repeat their class names: what the words say is worked out once per page. The key is the
            // words and whether they are a heading's.
            words.append(heading ? 1 : 0)
            let known = words.withUnsafeBufferPointer { cache.find($0) }
            words.removeLast()
            let said: Said
            if let known {
                said = known
            } else {
                let weight = ClassWords.weight(lowercased: words, heading: heading)
                said = Said(
                    weight: weight,
                    names: ClassWords.contains(words, ClassWords.byline) || ClassWords.contains(words, ClassWords.author)
                        || ClassWords.contains(words, ClassWords.date) || ClassWords.contains(words, ClassWords.publish),
                    hiddenClass: weight < 0 && ClassWords.namesHiddenClass(words),
                    paywalled: ClassWords.paywalledParts.contains(where: { ClassWords.contains(words, $0) }))
                words.append(heading ? 1 : 0)
                words.withUnsafeBufferPointer { cache.insert($0, said) }
            }
            // Text a page sends whole and hides from readers who have not subscribed (`<div
            // class="subscriber-only" style="display:none">`, as BLOX and other newspaper systems write
            // it) is the article's own, and so is the part shown to everyone first (`subscriber-preview`),
            // although both classes name subscribers.
            if said.paywalled {
                weight = 1
                return
            }
            hidden = hidden || styleHidden
            marked = marked || said.names
            weight = articleBody ? 1 : said.weight
            if !articleBody, said.hiddenClass {
                hidden = true
            }
        }
    }

    /// Content words +1, boilerplate words -1, in one table: one lookup per token.
    private static let wordWeights: (table: ByteTable, weights: [Int8]) = {
        var table = ByteTable(capacity: 64)
        var weights: [Int8] = []
        for (words, weight) in [(contentWords, Int8(1)), (boilerplateWords, -1)] {
            for word in words {
                let known = word.withUnsafeBufferPointer { table.find($0) }
                if let known {
                    weights[Int(known)] = weight
                } else {
                    word.withUnsafeBufferPointer { table.insert($0, id: Int32(weights.count)) }
                    weights.append(weight)
                }
            }
        }
        return (table, weights)
    }()

    /// ``hiddenClasses`` as a table.
    private static let hiddenTable: ByteTable = {
        var table = ByteTable(capacity: 16)
        for (index, name) in hiddenClasses.enumerated() {
            name.withUnsafeBufferPointer { table.insert($0, id: Int32(index)) }
        }
        return table
    }()

    /// Calls `body` with each run of `words` between bytes that `isSeparator` accepts (empty runs
    /// skipped), until it returns true; says whether it did. Allocates nothing.
    @inline(__always)
    private static func anyRun(_ words: UnsafeBufferPointer<UInt8>, separatedBy isSeparator: (UInt8) -> Bool,
                               _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        var start = 0
        for index in 0...words.count where index == words.count || isSeparator(words[index]) {
            if index > start, body(UnsafeBufferPointer(rebasing: words[start..<index])) { return true }
            start = index + 1
        }
        return false
    }

    private static func separatesNames(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x7C }
    private static func separatesWords(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x2D || byte == 0x5F || byte == 0x3A
    }

    /// Whether a name of `words` (split at spaces, tabs and `|`) is a hidden element's class.
    static func namesHiddenClass(_ words: [UInt8]) -> Bool {
        words.withUnsafeBufferPointer { words in
            anyRun(words, separatedBy: separatesNames) { hiddenTable.find($0) != nil }
        }
    }

    /// Class or id words of article text shown or hidden according to a reader's subscription.
    fileprivate static let paywalledParts: [[UInt8]] = [
        "subscriber-only", "subscribers-only", "subscriber-preview", "paywalled-content", "premium-content",
    ].map { Array($0.utf8) }
    fileprivate static let displayNone = Array("display:none".utf8)
    fileprivate static let visibilityHidden = Array("visibility:hidden".utf8)

    /// The weight of lowercased class, id, role and itemprop words; for a heading, the word `header`
    /// says nothing.
    static func weight(lowercased words: [UInt8], heading: Bool = false) -> Int8 {
        let words = withoutWhatTheyHold(words)
        if namesHiddenClass(words) || contains(words, comment) { return -1 }
        var content = false
        var boilerplate = false
        words.withUnsafeBufferPointer { words in
            _ = anyRun(words, separatedBy: separatesWords) { token in
                if heading && token.elementsEqual(header) { return false }
                if let found = wordWeights.table.find(token) {
                    if wordWeights.weights[Int(found)] > 0 { content = true } else { boilerplate = true }
                }
                return false
            }
        }
        boilerplate = boilerplate || containsPart(words)
        switch (boilerplate, content) {
        case (true, false): return -1
        case (false, true): return 1
        default: return 0
        }
    }

    /// The words with what a class name says an element holds beside its content cut off: in
    /// `layout-with-rail__wrapper` or `page_with_sidebar`, the element is the layout or the page, which
    /// holds the rail or the sidebar and the article too.
    static func withoutWhatTheyHold(_ words: [UInt8]) -> [UInt8] {
        guard contains(words, with) else { return words }
        var kept: [UInt8] = []
        kept.reserveCapacity(words.count)
        for name in words.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x7C }) {
            kept.append(0x20)
            var start = name.startIndex
            var cut = name.endIndex
            // The first `with` that is a word of the name of its own: between separators or at an end.
            while let found = name[start...].firstRange(of: with) {
                let before = found.lowerBound == name.startIndex || isSeparator(name[found.lowerBound - 1])
                let after = found.upperBound == name.endIndex || isSeparator(name[found.upperBound])
                if before && after {
                    cut = found.lowerBound
                    break
                }
                start = found.upperBound
            }
            kept.append(contentsOf: name[..<cut])
        }
        return kept
    }

    private static let with = Array("with".utf8)

    private static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2D || byte == 0x5F || byte == 0x3A }

    /// Indexes into `boilerplateParts` by first byte, so one pass over the words tries only the parts that
    /// could start at each position.
    private static let partsByFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (index, part) in boilerplateParts.enumerated() { table[Int(part[0])].append(index) }
        return table
    }()

    /// Whether any boilerplate part occurs in `words`.
    private static func containsPart(_ words: [UInt8]) -> Bool {
        words.withUnsafeBufferPointer { buffer in
            for start in 0..<buffer.count {
                for candidate in partsByFirstByte[Int(buffer[start])] {
                    let part = boilerplateParts[candidate]
                    guard start + part.count <= buffer.count else { continue }
                    var offset = 1
                    while offset < part.count, buffer[start + offset] == part[offset] { offset += 1 }
                    if offset == part.count { return true }
                }
            }
            return false
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count, let first = needle.first else { return false }
        let last = haystack.count - needle.count
        var index = 0
        while index <= last {
            if haystack[index] == first {
                var offset = 1
                while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    fileprivate static let byline = Array("byline".utf8)
    fileprivate static let author = Array("author".utf8)
    fileprivate static let date = Array("date".utf8)
    fileprivate static let publish = Array("publish".utf8)
}

private func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

/// Whether the bytes in `range`, lowercased, are `word`.
private func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
    guard range.count == word.utf8CodeUnitCount else { return false }
    let start = word.utf8Start
    for offset in 0..<range.count where lower(bytes[range.lowerBound + offset]) != start[offset] { return false }
    return true
}
