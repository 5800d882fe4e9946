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
    /// Elements with `itemprop`, `rel` or a class naming an author or date, with where their attributes
    /// are in the page's bytes (read only if the metadata needs them: most pages say what they are
    /// elsewhere, and `rel` is on many links).
    private(set) var marked: [(element: Int32, attributes: Range<Int>)] = []
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
        var weightCache = ClassWords.Cache()
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

        private let json = Array("json".utf8)

        /// Whether the bytes in `range` hold `word` (lower case) in any case, or a character reference.
        func mayName(_ word: [UInt8], _ range: Range<Int>) -> Bool {
            guard range.count >= word.count else { return false }
            for start in range {
                if bytes[start] == UInt8(ascii: "&") { return true }
                guard start + word.count <= range.upperBound, bytes[start] | 0x20 == word[0] else { continue }
                var offset = 1
                while offset < word.count, bytes[start + offset] | 0x20 == word[offset] { offset += 1 }
                if offset == word.count { return true }
            }
            return false
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
                // Scripts mostly load code (`src`, `async`): only attributes that say `json`, or could once
                // their character references are decoded, are read in full.
                if tag == .script, range.count > 0, mayName(json, range) {
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
            let words = range.isEmpty ? ClassWords.Reading() : ClassWords.Reading(bytes, range, heading: tag.isHeading, cache: &weightCache)
            let element = Element(tag: tag, parent: parent, weight: words.weight, excluded: tag.isNeverText || words.hidden)
            let index = tree.appendElement(element)
            if tag == .h1, tree.firstHeading == nil, !element.excluded { tree.firstHeading = index }
            if tag == .a { linkDepth += 1 }
            if tag == .time { tree.timeTags.append((index, attributes)) }
            if words.marked { tree.marked.append((index, range)) }
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
