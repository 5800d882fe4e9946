/// Writes JSON straight into bytes, for the records every article passes through (the output record, the
/// journal line): Foundation's `JSONEncoder` builds a tree of boxed values first and cost a worker as
/// much time as parsing the article. The output is byte for byte what `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes, which a test checks; callers write keys in sorted order.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Per open container: whether a value was written in it already.
    private var filled: [Bool] = []

    public init(capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written, handed over without a copy: the writer is used up.
    public consuming func finished() -> [UInt8] {
        bytes
    }

    public mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        filled.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        filled.removeLast()
    }

    public mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        filled.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        filled.removeLast()
    }

    /// A key of the open object; the value follows.
    public mutating func key(_ name: StaticString) {
        comma()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Before an array element.
    public mutating func element() {
        comma()
    }

    private mutating func comma() {
        if let last = filled.indices.last {
            if filled[last] { bytes.append(UInt8(ascii: ",")) }
            filled[last] = true
        }
    }

    public mutating func string(_ value: String) {
        var copy = value
        copy.withUTF8 { escape($0) }
    }

    /// A string given as its UTF-8 bytes, which the caller has validated (no `String` is made of them).
    public mutating func string(validUTF8 value: UnsafeBufferPointer<UInt8>) {
        escape(value)
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `"key":"value"`.
    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `"key":123`.
    public mutating func field<I: BinaryInteger>(_ name: StaticString, _ value: I) {
        key(name)
        int(value)
    }

    /// `"key":value` when the value is there; nothing otherwise (as `encodeIfPresent`).
    public mutating func optional(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func optional(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    /// An array of objects, the members of each written by `members`.
    public mutating func objects<Items: Sequence>(_ items: Items, _ members: (inout JSONWriter, Items.Element) -> Void) {
        beginArray()
        for item in items {
            element()
            beginObject()
            members(&self, item)
            endObject()
        }
        endArray()
    }

    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether any of eight bytes is below 0x20, `"` or `\` (the classic zero-byte tests, on the bytes
    /// themselves and XORed with the two characters).
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        // A byte below 0x20: subtracting 0x20 borrows into its high bit (bytes of 0x80 and more have it
        // set already and are masked out by `~word`).
        let control = (word &- ones &* 0x20) & ~word & highs != 0
        return control || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`... or `\u00XX`.
    private mutating func escape(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < text.count {
            // Eight bytes at a time while none needs escaping (most text): a control character, `"` or `\`.
            if index + 8 <= text.count, let base = text.baseAddress,
               !Self.needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = text[index]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            let position = index - 1
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<position]))
            runStart = index
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]])
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }
}

extension Article {
    /// The record as one JSON line (no newline), keys sorted.
    public func jsonLine() -> [UInt8] {
        var json = JSONWriter(capacity: body.utf8.count * 2 + 1024)
        json.beginObject()
        if let authors {
            json.key("authors")
            json.strings(authors)
        }
        json.field("body", body)
        if let countries {
            json.key("countries")
            json.strings(countries)
        }
        if let dateline {
            json.key("dateline")
            json.beginObject()
            json.optional("city", dateline.city)
            json.optional("country", dateline.country)
            json.optional("country_code", dateline.countryCode)
            json.optional("date", dateline.date)
            json.optional("day", dateline.day)
            json.optional("month", dateline.month)
            json.field("text", dateline.text)
            json.endObject()
        }
        json.optional("duplicate_of", duplicateOf)
        if let entities {
            json.key("entities")
            json.beginObject()
            func list(_ name: StaticString, _ entities: [Entity]) {
                json.key(name)
                json.beginArray()
                for entity in entities {
                    json.element()
                    json.beginObject()
                    json.optional("acronym", entity.acronym)
                    json.optional("country", entity.country)
                    json.field("mentions", entity.mentions)
                    json.field("name", entity.name)
                    json.optional("role", entity.role)
                    json.endObject()
                }
                json.endArray()
            }
            list("locations", entities.locations)
            list("organizations", entities.organizations)
            list("persons", entities.persons)
            json.endObject()
        }
        json.field("fetched_at", fetchedAt)
        json.field("id", id)
        json.key("keywords")
        json.strings(keywords)
        json.optional("language", language)
        json.optional("minhash", minhash)
        json.key("paragraphs")
        json.strings(paragraphs)
        json.key("parser")
        json.beginObject()
        json.field("elapsed_us", parser.elapsedMicroseconds)
        if let model = parser.nerModel {
            json.key("ner_model")
            json.beginObject()
            json.field("hash", model.hash)
            json.field("name", model.name)
            json.endObject()
        }
        json.field("version", parser.version)
        json.field("worker", parser.worker)
        json.endObject()
        json.optional("published", published)
        json.optional("published_source", publishedSource)
        if let quotes {
            json.key("quotes")
            json.objects(quotes) { json, quote in
                json.field("speaker", quote.speaker)
                json.field("text", quote.text)
            }
        }
        json.field("seq", seq)
        json.field("simhash", simhash)
        json.key("source")
        source.write(into: &json)
        json.key("stats")
        json.beginObject()
        json.field("paragraphs", stats.paragraphs)
        json.field("reading_time_s", stats.readingTimeSeconds)
        json.field("sentences", stats.sentences)
        json.field("words", stats.words)
        json.endObject()
        json.field("summary", summary)
        json.optional("title", title)
        json.optional("url", url)
        if let warnings {
            json.key("warnings")
            json.strings(warnings)
        }
        json.endObject()
        return json.bytes
    }
}

extension RawArticle {
    /// The members a journal line and a `raw` header share, which sort after their first key:
    /// `dead_letter_reason`, `fetched_at`, `id`, `name`, `seq`, `source`.
    func writeProvenance(into json: inout JSONWriter) {
        json.optional("dead_letter_reason", deadLetterReason)
        json.field("fetched_at", fetchedAt)
        json.field("id", id)
        json.optional("name", name)
        json.field("seq", seq)
        json.key("source")
        source.write(into: &json)
    }
}

extension SourceRef {
    /// The source as a JSON object, keys sorted.
    public func write(into json: inout JSONWriter) {
        json.beginObject()
        json.optional("feed", feed)
        json.optional("feed_name", feedName)
        json.field("kind", kind)
        json.optional("published", published)
        if let tags {
            json.key("tags")
            json.strings(tags)
        }
        json.field("uri", uri)
        json.endObject()
    }
}
