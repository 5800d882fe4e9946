import Foundation
import NewsModel
import Testing

/// The record and journal lines are written directly (``JSONWriter``) for speed; they must stay the bytes
/// Foundation's encoder writes, which readers of `out/` and the journal were built against.
@Suite("Records written directly")
struct RecordEncodingTests {
    static func foundation<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    @Test("every field, optional or not, and every character class gives JSONEncoder's bytes")
    func crafted() throws {
        let awkward = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} del \u{7F} "
            + "é 中文 🙂 \u{2028} \u{1F}"
        var article = Article(
            id: "0123456789abcdef", seq: 42, source: SourceRef(kind: "feed", uri: awkward, feed: "https://x/rss", feedName: "x", tags: ["a", awkward]),
            fetchedAt: "2026-01-01T00:00:00.000Z", published: "2026-01-01", title: awkward, authors: [awkward, "B"],
            url: "https://example.org/a/b?c=d&e=f", dateline: Dateline(text: "BAKU", city: "Baku", country: "Azerbaijan", countryCode: "AZ", date: "2026-01-01"),
            body: awkward, paragraphs: [awkward, ""], language: "en",
            stats: ArticleStats(words: 1, sentences: 2, paragraphs: 3, readingTimeSeconds: 4),
            entities: Entities(persons: [Entity(name: awkward, mentions: 2, role: "Minister")],
                               organizations: [], locations: [Entity(name: "Baku", mentions: 1, country: "AZ")]),
            countries: ["AZ"], keywords: [awkward], summary: awkward, quotes: [Quote(speaker: "A", text: awkward)],
            simhash: "00ff00ff00ff00ff", minhash: "1:" + String(repeating: "0a1b", count: 64), duplicateOf: "fedcba9876543210",
            parser: ParserInfo(version: "0.2.0", worker: "w", elapsedMicroseconds: 123), warnings: [awkward])
        #expect(article.jsonLine() == (try Self.foundation(article)))
        // And with every optional left out.
        article = Article(
            id: "x", seq: 0, source: SourceRef(kind: "dir", uri: ""), fetchedAt: "t", body: "", paragraphs: [],
            stats: ArticleStats(words: 0, sentences: 0, paragraphs: 0, readingTimeSeconds: 0), keywords: [],
            summary: "", simhash: "0", parser: ParserInfo(version: "v", worker: "w", elapsedMicroseconds: 0))
        #expect(article.jsonLine() == (try Self.foundation(article)))
    }

    @Test("strings are escaped as JSONEncoder escapes them with the character to escape at any place and any length (eight bytes are checked at a time)")
    func escapesEverywhere() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\u{00}", "\u{1F}", "\t", "\u{7F}", "é", "🙂", " ", "!", "#", "[", "]", "\u{80}"]
        for length in 0..<20 {
            for position in 0..<max(length, 1) {
                for special in specials {
                    var characters = Array(repeating: Character("a"), count: length)
                    if length > 0 { characters[position] = special }
                    let text = String(characters)
                    var writer = JSONWriter()
                    writer.string(text)
                    #expect(writer.bytes == (try Self.foundation(text)), "\(text.debugDescription)")
                }
            }
        }
    }

    @Test("the sink's duplicate_of, inserted into a written line, gives the bytes of a record written with it",
          arguments: [true, false])
    func insertedDuplicate(withEntities: Bool) throws {
        let awkward = "a \"quoted\" id \\ é"
        var article = Article(
            id: "0123456789abcdef", seq: 1, source: SourceRef(kind: "dir", uri: "\"duplicate_of\":\"x\""),
            fetchedAt: "2026-01-01T00:00:00.000Z", title: "\",\"entities\":{", dateline: Dateline(text: "BAKU"),
            body: "body with ,\"fetched_at\":\" inside", paragraphs: [],
            stats: ArticleStats(words: 1, sentences: 1, paragraphs: 1, readingTimeSeconds: 1),
            entities: withEntities ? Entities(persons: [Entity(name: "A B", mentions: 1)], organizations: [], locations: []) : nil,
            keywords: [], summary: "", simhash: "0", parser: ParserInfo(version: "v", worker: "w", elapsedMicroseconds: 0))
        let line = article.jsonLine()
        for id in ["fedcba9876543210", awkward] {
            article.duplicateOf = id
            #expect(RecordLine.settingDuplicateOf(id, in: line) == article.jsonLine())
            #expect(RecordLine.settingDuplicateOf(id, in: article.jsonLine()) == nil, "a record that has one keeps it")
            article.duplicateOf = nil
        }
        #expect(RecordLine.settingDuplicateOf("x", in: Array(#"{"id":"x"}"#.utf8)) == nil, "not a record")
    }

    @Test("records of real articles (BBC text, NAEB pages) give JSONEncoder's bytes")
    func corpus() throws {
        let corpus = ParserTestSupport.shared.appendingPathComponent("corpus")
        var compared = 0
        var inputs: [(String, [UInt8])] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.appendingPathComponent("naeb/html").path) {
            for name in names.sorted().prefix(40) where name.hasSuffix(".html.gz") {
                inputs.append((String(name.dropLast(3)), try CorpusTests.gunzip(corpus.appendingPathComponent("naeb/html/\(name)"))))
            }
        }
        if let enumerator = FileManager.default.enumerator(atPath: corpus.appendingPathComponent("bbc").path) {
            for case let path as String in enumerator where path.hasSuffix(".txt") && inputs.count < 240 {
                if let data = FileManager.default.contents(atPath: corpus.appendingPathComponent("bbc/\(path)").path) {
                    inputs.append((path, Array(data)))
                }
            }
        }
        for (name, bytes) in inputs {
            guard let article = ParserTestSupport.parse(bytes, name: name).value else { continue }
            #expect(article.jsonLine() == (try Self.foundation(article)), "\(name)")
            compared += 1
        }
        #expect(compared > 200)
    }

    @Test("journal lines written directly read back, checksum and all")
    func journalLines() throws {
        // A body that itself contains `,"seq":` must not be taken for the key.
        for body in [Array("plain text \"quoted\" \\ \n é ,\"seq\":99,".utf8), [0xFF, 0xFE, 0x00, 0x41]] {
            let raw = RawArticle(
                id: "abc", seq: 7, source: SourceRef(kind: "feed", uri: "u", feed: "f", tags: ["t"]), fetchedAt: "2026-01-01T00:00:00Z",
                name: "page.html", body: body, deadLetterReason: "because")
            let line = try JournalLine.encode(raw)
            let decoded = try JournalLine.decode(line[...]).get()
            #expect(decoded == raw)
            #expect(JournalLine.sequence(line[...]) == 7)
            // A damaged line has no number to trust.
            var damaged = line
            damaged[damaged.count / 2] ^= 0x01
            #expect(JournalLine.sequence(damaged[...]) == nil)
        }
    }
}
