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
