import ArticleParsing
import NewsModel
import Testing

@Suite("Hostile input")
struct HostileInputTests {
    @Test("empty and white-space input is a failure with a reason")
    func empty() {
        #expect(ParserTestSupport.parse([UInt8]()).error?.code == .empty)
        #expect(ParserTestSupport.parse("  \n\t\n").error?.code == .empty)
    }

    @Test("binary data is refused as not text")
    func binary() {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        for index in 0..<4000 { bytes.append(UInt8(truncatingIfNeeded: index &* 7919)) }
        #expect(ParserTestSupport.parse(bytes).error?.code == .notText)
        #expect(ParserTestSupport.parse(Array("text\0with\0nuls\0\0\0\0\0".utf8)).error?.code == .notText)
    }

    @Test("invalid UTF-8 is decoded as Windows-1252 and flagged, not rejected")
    func windows1252() throws {
        let bytes: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" opens\n\nIt serves ".utf8) + [0x93] + Array("tea".utf8) + [0x94]
        let article = try #require(ParserTestSupport.parse(bytes).value)
        #expect(article.title == "Café opens")
        #expect(article.body == "It serves “tea”")
        #expect(article.warnings?.first?.contains("windows-1252") == true)
    }

    @Test("one word, no title, mixed and right-to-left scripts still give records")
    func oddText() throws {
        #expect(ParserTestSupport.parse("Word").value?.title == "Word")
        let arabic = try #require(ParserTestSupport.parse("عنوان الخبر\n\nقال الوزير إن المحادثات كانت مثمرة وإن الجانبين اتفقا على مواصلة الحوار.").value)
        #expect(arabic.language == "ar")
        let mixed = try #require(ParserTestSupport.parse("Mixed 混合 смешанный\n\nEnglish text with 中文 and кириллица in it, and more English words here.").value)
        #expect(mixed.paragraphs.count == 1)
    }

    @Test("control characters are dropped and white space collapsed, NFC applied")
    func normalization() throws {
        let article = try #require(ParserTestSupport.parse("Title\u{7}\n\nA\u{00A0}\u{00A0}b\u{200B}c   d e\u{0301}.").value)
        #expect(article.title == "Title")
        #expect(article.body == "A bc d é.")
    }

    @Test("five megabytes of text parse without trouble")
    func large() throws {
        let paragraph = String(repeating: "The quick brown fox jumps over the lazy dog. ", count: 40)
        let text = "Big story\n\n" + Array(repeating: paragraph, count: 2800).joined(separator: "\n\n")
        #expect(text.utf8.count > 5_000_000)
        let article = try #require(ParserTestSupport.parse(text).value)
        #expect(article.paragraphs.count == 2800)
    }

    @Test("JSON that is not an article is a failure; broken JSON is read as text")
    func jsonEdgeCases() {
        #expect(ParserTestSupport.parse(#"{"foo": 1}"#).error?.code == .badJSON)
        #expect(ParserTestSupport.parse(#"{"title": "x", "text": "#).value?.warnings?.isEmpty == false)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(ParserTestSupport.parse("{\"text\": \"a\", \"x\": \(deep)}").error?.code == .badJSON)
    }
}

@Suite("Parser limits")
struct ParserLimitTests {
    @Test("an article over its time budget is a time_budget failure; without the budget it parses")
    func timeBudget() throws {
        let paragraph = String(repeating: "Anna Smith told Reuters in Paris that NATO said so. ", count: 40)
        let text = "Budget\n\n" + Array(repeating: paragraph, count: 1000).joined(separator: "\n\n")
        let cut = ParserTestSupport.parse(text, limits: ArticleParser.Limits(timeBudget: .milliseconds(1)))
        #expect(cut.error?.code == .timeBudget)
        #expect(cut.error?.reason.contains("limits.parse_budget_ms") == true)
        #expect(ParserTestSupport.parse(text).value != nil)
    }

    @Test("entities beyond max_entities are left out, the most mentioned kept, and a warning says so")
    func maxEntities() throws {
        // 400 different surnames of letters (`Anna Kabc`): names as a recognizer sees them, not numbered tokens.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let names = (0..<400).map { "Anna K\(letters[$0 / 26 % 26])\(letters[$0 % 26])ovic said it." }.joined(separator: " ")
        let text = "Names\n\nMaria Often said it. " + names + " Maria Often said it again. Maria Often agreed."
        let article = try #require(ParserTestSupport.parse(text, limits: ArticleParser.Limits(maxEntities: 25, timeBudget: nil)).value)
        let entities = try #require(article.entities)
        #expect(entities.persons.count + entities.organizations.count + entities.locations.count == 25)
        #expect(entities.persons.first?.name == "Maria Often")
        #expect(article.warnings?.contains { $0.contains("limits.max_entities 25") } == true)
    }

    @Test("JSON nested deeper than max_json_depth is refused; at the limit it is read")
    func jsonDepth() {
        let limits = ArticleParser.Limits(maxJSONDepth: 3, timeBudget: nil)
        let atLimit = #"{"title": "T", "text": "Body text.", "x": [[1]]}"#
        let over = #"{"title": "T", "text": "Body text.", "x": [[[1]]]}"#
        #expect(ParserTestSupport.parse(atLimit, limits: limits).value?.title == "T")
        #expect(ParserTestSupport.parse(over, limits: limits).error?.reason.contains("deeper than 3") == true)
    }
}

@Suite("Pathological input stays linear")
struct PathologicalInputTests {
    static let inputs: [(String, @Sendable () -> String)] = [
        ("a million commas", { "Commas\n\n" + String(repeating: ",", count: 1_000_000) }),
        ("100,000 quote marks", { "Quotes\n\n" + String(repeating: "\"", count: 100_000) + " said Smith." }),
        ("a 2 MB single line of quotes and names", {
            "Long\n\n" + (0..<50_000).map { "Word\($0) said Anna Smith, \"yes\" and NATO." }.joined(separator: " ")
        }),
        ("16,000 distinct people", {
            "Names\n\n" + (0..<16_000).map { "Anna Name\($0) said it." }.joined(separator: " ")
        }),
        ("100,000 nested brackets", { "Brackets\n\n" + String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000) }),
    ]

    @Test("each pathological input parses within the time limit (a quadratic path would take hours)",
          .timeLimit(.minutes(2)), arguments: 0..<inputs.count)
    func linear(_ index: Int) throws {
        let (_, make) = Self.inputs[index]
        let result = ParserTestSupport.parse(make())
        #expect(result.value != nil || result.error != nil)
        if let entities = result.value?.entities {
            let total = entities.persons.count + entities.organizations.count + entities.locations.count
            #expect(total <= ArticleParser.Limits().maxEntities, "entities are capped")
        }
    }
}
