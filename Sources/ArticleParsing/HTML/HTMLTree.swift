#if canImport(Glibc)
import Glibc
#endif

/// An HTML page read into a flat element tree with its text as byte ranges, in one pass over the bytes.
///
/// Forgiving the way browsers are: unclosed elements close with their parent, stray end tags are ignored,
/// a new `<p>` or block closes an open `<p>`, `<li>` closes its open sibling. The contents of `script`,
/// `style` and the like are skipped without being read (JSON-LD scripts are kept as raw text for the
/// metadata), comments and processing instructions are dropped. Only what extraction needs is kept per
/// element: its tag, parent, class/id words that mark boilerplate or content, and whether it is hidden.
struct HTMLTree {
    /// One element. Index 0 is the synthetic root.
    struct Element {
        var tag: HTMLTag
        var parent: Int32
        /// Boilerplate (-1), neutral (0) or content (+1) judging by class, id, role and itemprop words.
        var weight: Int8
        /// Hidden (`hidden`, `aria-hidden="true"`, `display:none`) or a subtree that is never article text.
        var excluded: Bool
    }

    /// A run of character data (not yet decoded: references and white space as written).
    struct TextRun {
        var element: Int32
        var start: Int32
        var end: Int32
        /// Inside an `<a>`.
        var inLink: Bool
    }

    /// A `<br>` inside flowing text is kept as a break between runs.

    private(set) var elements: [Element] = [Element(tag: .root, parent: -1, weight: 0, excluded: false)]
    private(set) var runs: [TextRun] = []
    /// Per element: the index of the first run at or after its start tag.
    private(set) var firstRun: [Int32] = [0]
    /// Attributes of the elements metadata is read from.
    private(set) var metaTags: [[String: String]] = []
    private(set) var links: [[String: String]] = []
    private(set) var timeTags: [(element: Int32, attributes: [String: String])] = []
    /// Elements with `itemprop`, `rel` or a class naming an author or date, with their attributes.
    private(set) var marked: [(element: Int32, attributes: [String: String])] = []
    private(set) var jsonLD: [String] = []
    private(set) var titleText: String?
    private(set) var htmlLanguage: String?
    private(set) var firstHeading: Int32?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        var builder = Builder(tree: self, bytes: bytes)
        builder.run()
        self = builder.tree
    }

    mutating func appendElement(_ element: Element) -> Int32 {
        elements.append(element)
        firstRun.append(Int32(runs.count))
        return Int32(elements.count - 1)
    }

    /// Builds the tree; keeps the stack of open elements.
    private struct Builder {
        var tree: HTMLTree
        let bytes: UnsafeBufferPointer<UInt8>
        var stack: [Int32] = [0]
        var weightCache: [String: ClassWords.Said] = [:]
        var linkDepth = 0
        var titleBytes: [UInt8] = []

        init(tree: HTMLTree, bytes: UnsafeBufferPointer<UInt8>) {
            self.tree = tree
            self.bytes = bytes
        }

        mutating func run() {
            let count = bytes.count
            var index = 0
            while index < count {
                guard let open = find(UInt8(ascii: "<"), from: index) else {
                    text(index, count)
                    break
                }
                if open > index { text(index, open) }
                index = tag(at: open)
            }
            if !titleBytes.isEmpty {
                tree.titleText = TextCleaner.clean(bytes: titleBytes[...])
            }
        }

        func find(_ byte: UInt8, from start: Int) -> Int? {
            guard start < bytes.count, let base = bytes.baseAddress else { return nil }
            guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }

        /// A `<br>`: an empty run in the current element, read as a break between paragraphs.
        mutating func lineBreak() {
            tree.runs.append(TextRun(element: stack[stack.count - 1], start: 0, end: 0, inLink: false))
        }

        mutating func text(_ start: Int, _ end: Int) {
            let element = stack[stack.count - 1]
            tree.runs.append(TextRun(element: element, start: Int32(start), end: Int32(end), inLink: linkDepth > 0))
        }

        /// Reads the markup starting at `<`; returns where text resumes.
        mutating func tag(at open: Int) -> Int {
            let count = bytes.count
            var index = open + 1
            guard index < count else { return count }
            let first = bytes[index]
            if first == UInt8(ascii: "!") || first == UInt8(ascii: "?") {
                if index + 2 < count, bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: "-") {
                    return skipComment(from: index + 3)
                }
                return (find(UInt8(ascii: ">"), from: index) ?? count - 1) + 1
            }
            let closing = first == UInt8(ascii: "/")
            if closing { index += 1 }
            let nameStart = index
            while index < count, Self.isNameByte(bytes[index]) { index += 1 }
            guard index > nameStart else {
                // `<` not starting a tag (`a < b`): it is text.
                text(open, open + 1)
                return open + 1
            }
            let tag = HTMLTag(name: bytes, from: nameStart, to: index)
            guard let close = tagEnd(from: index) else { return count }
            if closing {
                endTag(tag)
                return close + 1
            }
            let attributesRange = index..<close
            let selfClosing = close > index && bytes[close - 1] == UInt8(ascii: "/")
            return startTag(tag, attributes: attributesRange, selfClosing: selfClosing, after: close + 1)
        }

        /// The `>` ending a tag, skipping quoted attribute values.
        func tagEnd(from start: Int) -> Int? {
            var index = start
            var quote: UInt8 = 0
            while index < bytes.count {
                let byte = bytes[index]
                if quote != 0 {
                    if byte == quote { quote = 0 }
                } else if byte == UInt8(ascii: ">") {
                    return index
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    // Only a quote right after `=` opens a value; a stray one is ignored.
                    var back = index - 1
                    while back > start, bytes[back] == 0x20 { back -= 1 }
                    if bytes[back] == UInt8(ascii: "=") { quote = byte }
                }
                index += 1
            }
            return nil
        }

        func skipComment(from start: Int) -> Int {
            var index = start
            while index + 2 < bytes.count {
                if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"), bytes[index + 2] == UInt8(ascii: ">") {
                    return index + 3
                }
                index += 1
            }
            return bytes.count
        }

        /// The end of a raw-text element's content: the start of `</name` (any case), or the end.
        func rawTextEnd(_ tag: HTMLTag, from start: Int) -> Int {
            let name = tag.name.utf8
            var index = start
            while let open = find(UInt8(ascii: "<"), from: index) {
                guard open + 1 < bytes.count, bytes[open + 1] == UInt8(ascii: "/") else {
                    index = open + 1
                    continue
                }
                var matched = true
                var offset = open + 2
                for expected in name {
                    guard offset < bytes.count, bytes[offset] | 0x20 == expected else {
                        matched = false
                        break
                    }
                    offset += 1
                }
                if matched { return open }
                index = open + 1
            }
            return bytes.count
        }

        mutating func startTag(_ tag: HTMLTag, attributes range: Range<Int>, selfClosing: Bool, after: Int) -> Int {
            if tag.isRawText {
                let end = rawTextEnd(tag, from: after)
                if tag == .script, range.count > 0 {
                    let attributes = HTMLAttributes.parse(bytes, range)
                    if attributes["type"]?.lowercased().contains("ld+json") == true {
                        tree.jsonLD.append(String(decoding: bytes[after..<end], as: UTF8.self))
                    }
                }
                if tag == .title, tree.titleText == nil, titleBytes.isEmpty {
                    titleBytes.append(contentsOf: bytes[after..<end])
                }
                let close = find(UInt8(ascii: ">"), from: end) ?? bytes.count - 1
                return close + 1
            }
            // Full attributes only for the few tags metadata is read from; every other tag is read for its
            // class and id words on the bytes.
            let readsAll = tag == .meta || tag == .link || tag == .html || tag == .time
            let attributes = readsAll && !range.isEmpty ? HTMLAttributes.parse(bytes, range) : [:]
            switch tag {
            case .meta:
                tree.metaTags.append(attributes)
                return after
            case .link:
                tree.links.append(attributes)
                return after
            case .html:
                if let lang = attributes["lang"] ?? attributes["xml:lang"] { tree.htmlLanguage = lang }
                return after
            case .br:
                lineBreak()
                return after
            default: break
            }
            if tag.isVoid || selfClosing && !tag.isBlock { return after }
            if tag.closesParagraph { closeOpen(.p, stoppingAt: tag == .li ? [] : [.div, .article, .section]) }
            if tag == .li { closeOpen(.li, stoppingAt: [.ul, .ol]) }
            let parent = stack[stack.count - 1]
            let words = range.isEmpty ? ClassWords.Reading() : ClassWords.Reading(bytes, range, cache: &weightCache)
            let element = Element(tag: tag, parent: parent, weight: words.weight, excluded: tag.isNeverText || words.hidden)
            let index = tree.appendElement(element)
            if tag == .h1, tree.firstHeading == nil, !element.excluded { tree.firstHeading = index }
            if tag == .a { linkDepth += 1 }
            if tag == .time { tree.timeTags.append((index, attributes)) }
            if words.marked { tree.marked.append((index, HTMLAttributes.parse(bytes, range))) }
            if selfClosing {
                if tag == .a { linkDepth -= 1 }
            } else {
                stack.append(index)
            }
            return after
        }

        /// Closes an open `tag` unless one of `barriers` is open above it.
        mutating func closeOpen(_ tag: HTMLTag, stoppingAt barriers: [HTMLTag]) {
            var depth = stack.count - 1
            while depth > 0 {
                let open = tree.elements[Int(stack[depth])].tag
                if open == tag {
                    popTo(depth)
                    return
                }
                if barriers.contains(open) || open.isBlock && tag == .p && open != .span { return }
                depth -= 1
            }
        }

        mutating func endTag(_ tag: HTMLTag) {
            if tag == .br {
                lineBreak()
                return
            }
            // The nearest open element of that tag, within a few levels: deeper matches are stray end tags.
            var depth = stack.count - 1
            let limit = max(1, stack.count - 40)
            while depth >= limit {
                if tree.elements[Int(stack[depth])].tag == tag {
                    popTo(depth)
                    return
                }
                depth -= 1
            }
        }

        mutating func popTo(_ depth: Int) {
            while stack.count > depth {
                let popped = stack.removeLast()
                if tree.elements[Int(popped)].tag == .a { linkDepth = max(0, linkDepth - 1) }
            }
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
        }
    }
}

/// The tags extraction tells apart; every other tag is `.other` (inline, neutral).
enum HTMLTag: UInt8, Equatable {
    case root, other
    case html, head, body, title, meta, link, script, style, noscript, template, svg, math, iframe, object, canvas
    case textarea, select, button, form, input, option, nav, header, footer, aside, menu, dialog
    case main, article, section, div, p, pre, blockquote, figure, figcaption, table, tbody, tr, td, th
    case ul, ol, li, dl, dt, dd, h1, h2, h3, h4, h5, h6, a, br, hr, img, span, time, address, center, font

    private static let known: [HTMLTag] = [
        .html, .head, .body, .title, .meta, .link, .script, .style, .noscript, .template, .svg, .math, .iframe, .object,
        .canvas, .textarea, .select, .button, .form, .input, .option, .nav, .header, .footer, .aside, .menu, .dialog,
        .main, .article, .section, .div, .p, .pre, .blockquote, .figure, .figcaption, .table, .tbody, .tr, .td, .th,
        .ul, .ol, .li, .dl, .dt, .dd, .h1, .h2, .h3, .h4, .h5, .h6, .a, .br, .hr, .img, .span, .time, .address,
        .center, .font,
    ]

    /// Known names packed into integers (up to 10 lowercase bytes: 8 in `low`, 2 in `high`), sorted, for a
    /// binary search without hashing or allocating.
    private static let packed: [(key: UInt64, high: UInt16, tag: HTMLTag)] = known.map { tag in
        let name = Array(tag.name.utf8)
        return (pack(name[...], 0, name.count), packHigh(name[...], 0, name.count), tag)
    }.sorted { ($0.key, $0.high) < ($1.key, $1.high) }

    private static func pack<C: Collection>(_ bytes: C, _ start: C.Index, _ count: Int) -> UInt64 where C.Element == UInt8, C.Index == Int {
        var key: UInt64 = 0
        for offset in 0..<min(count, 8) {
            let byte = bytes[start + offset]
            key |= UInt64(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) << (8 * UInt64(offset))
        }
        return key
    }

    private static func packHigh<C: Collection>(_ bytes: C, _ start: C.Index, _ count: Int) -> UInt16 where C.Element == UInt8, C.Index == Int {
        var high: UInt16 = 0
        for offset in 8..<max(8, count) {
            let byte = bytes[start + offset]
            high |= UInt16(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) << (8 * UInt16(offset - 8))
        }
        return high
    }

    var name: String { "\(self)" }

    init(name bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        guard end - start <= 10 else {
            self = .other
            return
        }
        let key = Self.pack(bytes, start, end - start)
        let high = Self.packHigh(bytes, start, end - start)
        var low = 0
        var top = Self.packed.count
        while low < top {
            let middle = (low + top) / 2
            let entry = Self.packed[middle]
            if (entry.key, entry.high) < (key, high) { low = middle + 1 } else { top = middle }
        }
        if low < Self.packed.count, Self.packed[low].key == key, Self.packed[low].high == high {
            self = Self.packed[low].tag
        } else {
            self = .other
        }
    }

    /// Content not parsed as markup: skipped to its end tag.
    var isRawText: Bool {
        switch self {
        case .script, .style, .template, .textarea, .title, .noscript: true
        default: false
        }
    }

    var isVoid: Bool {
        switch self {
        case .meta, .link, .br, .hr, .img, .input: true
        default: false
        }
    }

    /// Subtrees that never hold article text.
    var isNeverText: Bool {
        switch self {
        case .head, .svg, .math, .iframe, .object, .canvas, .select, .button, .form, .option, .nav, .footer, .aside,
             .menu, .dialog, .figcaption, .input: true
        default: false
        }
    }

    /// Elements that start a new paragraph of text.
    var isBlock: Bool {
        switch self {
        case .root, .html, .body, .main, .article, .section, .div, .p, .pre, .blockquote, .figure, .table, .tbody,
             .tr, .td, .th, .ul, .ol, .li, .dl, .dt, .dd, .h1, .h2, .h3, .h4, .h5, .h6, .header, .footer, .aside,
             .nav, .form, .address, .center, .hr, .figcaption: true
        default: false
        }
    }

    /// Starting one of these closes an open `<p>`, as the HTML parsing rules say.
    var closesParagraph: Bool {
        switch self {
        case .p, .div, .pre, .blockquote, .table, .ul, .ol, .dl, .h1, .h2, .h3, .h4, .h5, .h6, .section,
             .article, .header, .footer, .aside, .nav, .form, .figure, .hr, .main, .address, .center: true
        default: false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: true
        default: false
        }
    }
}

/// Attributes of one tag: names lowercased, values with character references decoded.
enum HTMLAttributes {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [String: String] {
        var result: [String: String] = [:]
        forEach(bytes, range) { name, value in
            let key = String(decoding: bytes[name].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
            guard result[key] == nil else { return }
            let text = String(decoding: bytes[value], as: UTF8.self)
            result[key] = text.utf8.contains(UInt8(ascii: "&")) ? HTMLEntities.decode(text) : text
        }
        return result
    }

    /// Calls `body` with the byte ranges of each attribute's name and value (empty for a bare name).
    static func forEach(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (Range<Int>, Range<Int>) -> Void) {
        var index = range.lowerBound
        let end = range.upperBound
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
        while index < end {
            while index < end, isSpace(bytes[index]) || bytes[index] == UInt8(ascii: "/") { index += 1 }
            let nameStart = index
            while index < end, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="), bytes[index] != UInt8(ascii: "/") {
                index += 1
            }
            guard index > nameStart else {
                index += 1
                continue
            }
            let name = nameStart..<index
            while index < end, isSpace(bytes[index]) { index += 1 }
            var value = index..<index
            if index < end, bytes[index] == UInt8(ascii: "=") {
                index += 1
                while index < end, isSpace(bytes[index]) { index += 1 }
                if index < end, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                    let quote = bytes[index]
                    let valueStart = index + 1
                    index = valueStart
                    while index < end, bytes[index] != quote { index += 1 }
                    value = valueStart..<index
                    index += 1
                } else {
                    let valueStart = index
                    while index < end, !isSpace(bytes[index]) { index += 1 }
                    value = valueStart..<index
                }
            }
            body(name, value)
        }
    }
}

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
    ].map { Array($0.utf8) }
    /// Whole words (class or id split at `-`, `_`, `:` and spaces) that mark boilerplate.
    private static let boilerplateWords: Set<ArraySlice<UInt8>> = Set([
        "ad", "ads", "nav", "menu", "header", "meta", "tools", "print", "login", "rail", "aside",
        "complementary", "contentinfo", "banner", "navigation", "search", "dialog", "alert", "figure",
    ].map { Array($0.utf8)[...] })
    /// Words that mark the article itself.
    private static let contentWords: Set<ArraySlice<UInt8>> = Set([
        "article", "articlebody", "body", "content", "entry", "main", "post", "text", "story", "blog", "prose",
        "articlebodytext", "storybody", "richtext", "hentry",
    ].map { Array($0.utf8)[...] })
    /// Whole class names of hidden or screen-reader-only elements.
    fileprivate static let hiddenClasses: Set<ArraySlice<UInt8>> = Set([
        "hidden", "hide", "d-none", "sr-only", "visually-hidden", "screen-reader-text", "visuallyhidden",
    ].map { Array($0.utf8)[...] })
    private static let comment = Array("comment".utf8)

    /// What a set of class, id, role and itemprop words says, cached per page.
    struct Said {
        var weight: Int8
        /// Names a byline, an author or a date.
        var names: Bool
        /// A class name of hidden elements (`hidden`, `sr-only`...).
        var hiddenClass: Bool
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
        /// repeat their class names many times).
        init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, cache: inout [String: Said]) {
            var words: [UInt8] = []
            var articleBody = false
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
                    hidden = hidden || ClassWords.contains(compact, ClassWords.displayNone)
                        || ClassWords.contains(compact, ClassWords.visibilityHidden)
                }
            }
            guard !words.isEmpty else { return }
            // Pages repeat their class names: what the words say is worked out once per page. The key is a
            // String, whose hashing takes the bytes in bulk.
            let key = String(decoding: words, as: UTF8.self)
            let said: Said
            if let known = cache[key] {
                said = known
            } else {
                let weight = ClassWords.weight(lowercased: words)
                said = Said(
                    weight: weight,
                    names: ClassWords.contains(words, ClassWords.byline) || ClassWords.contains(words, ClassWords.author)
                        || ClassWords.contains(words, ClassWords.date) || ClassWords.contains(words, ClassWords.publish),
                    hiddenClass: weight < 0 && words.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x7C })
                        .contains(where: { ClassWords.hiddenClasses.contains($0) }))
                cache[key] = said
            }
            marked = marked || said.names
            weight = articleBody ? 1 : said.weight
            if !articleBody, said.hiddenClass {
                hidden = true
            }
        }
    }

    /// Content words +1, boilerplate words -1, in one table: one lookup per token.
    private static let wordWeights: [ArraySlice<UInt8>: Int8] = {
        var table: [ArraySlice<UInt8>: Int8] = [:]
        for word in contentWords { table[word] = 1 }
        for word in boilerplateWords { table[word] = -1 }
        return table
    }()

    fileprivate static let displayNone = Array("display:none".utf8)
    fileprivate static let visibilityHidden = Array("visibility:hidden".utf8)

    /// The weight of lowercased class, id, role and itemprop words.
    static func weight(lowercased words: [UInt8]) -> Int8 {
        if words.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x7C }).contains(where: { hiddenClasses.contains($0) }) {
            return -1
        }
        if contains(words, comment) { return -1 }
        let tokens = words.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x2D || $0 == 0x5F || $0 == 0x3A })
        var content = false
        var boilerplate = false
        for token in tokens {
            switch wordWeights[token] {
            case 1: content = true
            case -1: boilerplate = true
            default: break
            }
        }
        boilerplate = boilerplate || containsPart(words)
        switch (boilerplate, content) {
        case (true, false): return -1
        case (false, true): return 1
        default: return 0
        }
    }

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
