@testable import ArticleParsing
import NewsModel
import Testing

@Suite("Raw formats")
struct FormatTests {
    @Test("plain title + body")
    func plain() throws {
        let text = "Markets rally on rate hopes\n\nShares rose on Monday.\nTraders cited lower yields.\n\nBonds were flat.\n"
        let article = try #require(ParserTestSupport.parse(text).value)
        #expect(article.title == "Markets rally on rate hopes")
        #expect(article.paragraphs == ["Shares rose on Monday. Traders cited lower yields.", "Bonds were flat."])
        #expect(article.dateline == nil)
        #expect(article.stats.sentences == 3)
    }

    @Test("wire ledes open the body with a dateline", arguments: [
        ("PORTLAND, Ore., Feb 26 - Shares of the company rose.", "Portland", "Oregon", "US", 2, 26),
        ("BAKU, Azerbaijan (AP) — The minister said talks went well.", "Baku", "Azerbaijan", "AZ", nil, nil),
        ("WASHINGTON, March 3 - The Senate voted on the bill.", "Washington", nil, nil, 3, 3),
        ("ATLANTA -- Storms moved east on Friday.", "Atlanta", nil, nil, nil, nil),
        ("ROME 1996-12-06 - Italy's cabinet met.", "Rome", nil, nil, 12, 6),
        ("LONDON, 26 FEb - Sterling fell.", "London", nil, nil, 2, 26),
        ("Hong Kong CNN  — Stocks slid in Asia.", "Hong Kong", nil, "HK", nil, nil),
    ] as [(String, String, String?, String?, Int?, Int?)])
    func lede(_ lede: String, city: String, country: String?, code: String?, month: Int?, day: Int?) throws {
        let article = try #require(ParserTestSupport.parse(" date 1996-02-01 Headline\n\n" + lede + "\n\nMore text.").value)
        let dateline = try #require(article.dateline)
        #expect(dateline.city == city)
        #expect(dateline.country == country)
        #expect(dateline.countryCode == code)
        if let month, let day {
            let expected = "1996-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            #expect(dateline.date == expected)
        } else {
            #expect(dateline.date == nil)
        }
        #expect(article.paragraphs.first?.first?.isUppercase == true)
        #expect(article.paragraphs.first?.contains(" - ") == false)
    }

    @Test("datelines as wires also send them: lower case, a dash glued to a word, a second dash, codes before", arguments: [
        ("des moines, march 3 - corn futures closed higher.", "Des Moines", 3, 3, "corn futures closed higher."),
        ("CHICAGO, March 3 -shr 12 cts vs 10 cts", "Chicago", 3, 3, "shr 12 cts vs 10 cts"),
        ("MONTREAL, Feb 26- Net profit rose.", "Montreal", 2, 26, "Net profit rose."),
        ("KANSAS CITY, Mo. - March 13 - The company sold a unit.", "Kansas City", 3, 13, "The company sold a unit."),
        ("****LONDON, March 5 - Sterling fell.", "London", 3, 5, "Sterling fell."),
    ] as [(String, String, Int, Int, String)])
    func wireLede(_ lede: String, city: String, month: Int, day: Int, rest: String) throws {
        let article = try #require(ParserTestSupport.parse(" date 1987-02-01 Headline\n\n" + lede + "\n\nMore text.").value)
        let dateline = try #require(article.dateline)
        #expect(dateline.city == city)
        #expect(dateline.month == month && dateline.day == day)
        #expect(dateline.date == "1987-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)")
        #expect(article.paragraphs.first == rest)
    }

    @Test("ordinary first sentences are not datelines")
    func notDateline() throws {
        for body in ["The talks - which began Monday - ended.", "Officials said the plan - if approved - helps.",
                     "Nagorno-Karabakh has been disputed since 1988.",
                     "on tuesday, march 3 - the company said it would sell the unit.",
                     "the vote, held march 3 - a first - passed easily.", "Prices rose 3 -4 pct in March.",
                     "Sales, March 3- a record, the company said."] {
            let article = try #require(ParserTestSupport.parse("Title\n\n" + body).value)
            #expect(article.dateline == nil, "\(body)")
        }
    }

    @Test("Reuters-style indented, hard-wrapped paragraphs are re-joined and the signature dropped")
    func reuters() throws {
        let text = """
            Cocoa talks stall

                The International Cocoa Organization council meeting
            ended without agreement, delegates said.
                Producers and consumers will meet again in March,
            they said.
             Reuter
            """
        let article = try #require(ParserTestSupport.parse(text).value)
        #expect(article.paragraphs == [
            "The International Cocoa Organization council meeting ended without agreement, delegates said.",
            "Producers and consumers will meet again in March, they said.",
        ])
    }

    @Test("a signature that marks a story cut short is dropped too, and is no organization", arguments: ["REUTER...", " Reuter.", "REUTER\u{2026}"])
    func truncatedSignature(signature: String) throws {
        let text = "Cocoa talks stall\n\nThe council meeting ended without agreement, delegates said.\n\n\(signature)\n"
        let article = try #require(ParserTestSupport.parse(text).value)
        #expect(article.paragraphs == ["The council meeting ended without agreement, delegates said."])
        #expect(article.entities?.organizations.isEmpty ?? true, "\(article.entities?.organizations.map(\.name) ?? [])")
    }

    @Test("JSON objects with title, text and date")
    func json() throws {
        let text = #"{"title": "Flood warning", "text": "Rivers rose.\n\nResidents left.", "date": "2023-05-04T10:00:00Z", "authors": ["A. Writer"]}"#
        let article = try #require(ParserTestSupport.parse(text, name: "a.json").value)
        #expect(article.title == "Flood warning")
        #expect(article.published == "2023-05-04T10:00:00Z")
        #expect(article.paragraphs == ["Rivers rose.", "Residents left."])
    }

    @Test("HTML pages give title, date and paragraph text without scripts or navigation")
    func html() throws {
        let html = """
            <!doctype html><html><head><title>Site | Story</title>
            <meta property="og:title" content="Bridge reopens">
            <meta property="article:published_time" content="2024-01-02T08:00:00Z">
            <script>var x = "<p>not text</p>";</script></head>
            <body><nav><p>Home</p></nav><p>The bridge reopened &amp; traffic flowed.</p><p>Drivers cheered.</p></body></html>
            """
        let article = try #require(ParserTestSupport.parse(html, name: "story.html").value)
        #expect(article.title == "Bridge reopens")
        #expect(article.published == "2024-01-02T08:00:00Z")
        #expect(article.paragraphs == ["The bridge reopened & traffic flowed.", "Drivers cheered."])
    }

    /// A page's paragraphs, each in a box of its own as many publishing systems write them. (A page with
    /// less than ``HTMLPage/minimumArticle`` bytes of text is read again trusting class names less.)
    static func page(_ boxes: [String]) -> String {
        "<html><head><title>Story</title></head><body><div class=\"story\">" + boxes.joined() + "</div></body></html>"
    }

    static let prose = [
        "The council voted on Tuesday to reopen the old bridge to traffic after two years of repairs, the mayor said.",
        "Engineers had found cracks in three of the bridge's supports during a routine inspection in the spring of last year.",
        "The repairs cost more than twice what the council had set aside for them, and the work ran a year late.",
        "Shop owners on both banks said trade had fallen by a third while drivers took the long way round through the hills.",
        "The council will decide next month whether the old toll booths, closed since the repairs began, should open again.",
    ]

    @Test("a paragraph box whose class says text keeps its prose when a third of it is links; a box of links does not")
    func linkedProse() throws {
        let linked = #"<div class="cli cli-text"><p>Mayor <a href="/m">Ann Smith</a> of <a href="/c">Riverton</a> said the <a href="/b">bridge</a> was safe.</p></div>"#
        let links = #"<div class="box"><p><a href="/1">More on the bridge</a> and <a href="/2">the repairs</a></p></div>"#
        let boxes = Self.prose.map { #"<div class="cli cli-text"><p>\#($0)</p></div>"# }
        let article = try #require(ParserTestSupport.parse(Self.page([linked] + boxes + [links]), name: "story.html").value)
        #expect(article.paragraphs == ["Mayor Ann Smith of Riverton said the bridge was safe."] + Self.prose)
    }

    @Test("a sentence with a link or two in a box of no telling class is prose, a no-break space after it too; a short box of links is not")
    func proseWithLinksInPlainBox() throws {
        let linked = #"<div class="r1udwkp5 mb32"><p>When the council is not voting on bridges, it is making headlines for its recent <a href="/e">expansion of the ferry service</a>. Its <a href="/f">newest ferry, the first on the lake,</a> drew crowds from three counties who waited up to six hours in the cold for a short ride across the water.&nbsp;</p></div>"#
        let links = #"<div class="r1udwkp5 mb32"><p>Read more about <a href="/1">the bridge repairs and their cost</a>.</p></div>"#
        let boxes = Self.prose.map { #"<div class="r1udwkp5 mb32"><p>\#($0)</p></div>"# }
        let article = try #require(ParserTestSupport.parse(Self.page(boxes + [linked, links]), name: "story.html").value)
        #expect(article.paragraphs == Self.prose + [
            "When the council is not voting on bridges, it is making headlines for its recent expansion of the ferry service. Its newest ferry, the first on the lake, drew crowds from three counties who waited up to six hours in the cold for a short ride across the water.",
        ])
    }

    @Test("a linked name in bold inside a sentence stays in it; follow and sign-up prompts do not, however long")
    func inlineLinksAndPrompts() throws {
        let named = #"<div class="box"><p>BTW, it's not like <a href="/p/g"><strong>Gennady Golovkin</strong></a> is afraid to fight -- he called out the <a href="/c"><span>champ</span></a> on air last week!</p></div>"#
        let prompts = [
            #"<div class="box"><p>* Follow <a href="/f"><em>Mirror Celebs</em></a> on <a href="/s">Snapchat</a>, <a href="/i">Instagram</a>, <a href="/t">Twitter</a>, <a href="/fb">Facebook</a>, <a href="/y">YouTube</a> and <a href="/th">Threads</a>.</p></div>"#,
            #"<div class="box"><p>Sign up for the <a href="/n"><span>Morning Brief</span></a> email newsletter to get weekday updates from our newsroom and meteorologists.</p></div>"#,
        ]
        let boxes = Self.prose.map { #"<div class="box"><p>\#($0)</p></div>"# }
        let article = try #require(ParserTestSupport.parse(Self.page([named] + boxes + prompts), name: "story.html").value)
        #expect(article.paragraphs == [
            "BTW, it's not like Gennady Golovkin is afraid to fight -- he called out the champ on air last week!",
        ] + Self.prose)
        #expect(!ContentExtractor.isBoilerplateLine("The video spread on TikTok and Instagram before it was taken down."))
        #expect(ContentExtractor.isBoilerplateLine(
            "If you purchase a product or register for an account through a link on our site, we may receive compensation. "
                + "By using this site, you consent to our User Agreement and agree that your clicks may be collected."))
        #expect(ContentExtractor.isBoilerplateLine("Curious about the technology around you? Email us at desk@example.org."))
    }

    @Test("an embedded post (the platform's own embed code) is not article text")
    func embeddedPost() throws {
        let tweet = #"<blockquote class="twitter-tweet"><p lang="en">Hands off our bridge, everyone!</p>&mdash; Someone (@someone) <a href="https://twitter.com/x">May 1, 2024</a></blockquote>"#
        let instagram = #"<blockquote class="instagram-media"><p>A picture of the bridge at night, shared by a reader.</p></blockquote>"#
            + #"<div id="tweet-container-1"><blockquote class="nojs-tweet"><p>Stuck on the bridge again, like every morning this week.</p></blockquote></div>"#
        let boxes = Self.prose.map { "<p>\($0)</p>" }
        let article = try #require(ParserTestSupport.parse(Self.page([boxes[0], tweet, boxes[1], instagram] + boxes[2...]), name: "story.html").value)
        #expect(article.paragraphs == Self.prose)
    }

    @Test("a layout that holds a rail beside the article is not the rail; a subheading whose class says header is not page furniture")
    func layoutAndSubheadings() throws {
        let boxes = Self.prose.map { "<p>\($0)</p>" }
        let page = #"<html><head><title>Story</title></head><body><section class="layout__wrapper layout-with-rail__wrapper">"#
            + #"<div class="article__content">"# + boxes[0...2].joined()
            + #"<h3 class="header__StyledHeading-sc-30ohha-0">Where the toll booths stand</h3><p class="in-this">In this article</p>"#
            + boxes[3...].joined() + #"</div><div class="rail"><p>Most read: the ten best bridges of the year, ranked by our readers.</p></div>"#
            + "</section></body></html>"
        let article = try #require(ParserTestSupport.parse(page, name: "story.html").value)
        #expect(article.paragraphs == Array(Self.prose[0...2]) + ["Where the toll booths stand"] + Self.prose[3...])
    }

    @Test("text a page hides from readers who have not subscribed is the article's; other hidden text is not")
    func subscriberOnly() throws {
        // Enough text behind the paywall that the page is read trusting its class names (a page with less is
        // read again trusting them less, which would hide what is tested here).
        let hiddenProse = Self.prose[1...] + Self.prose[1...].map { "Again: " + $0 }
        let boxes = [
            #"<div class="subscriber-preview"><p>\#(Self.prose[0])</p></div>"#,
            #"<div class="subscriber-only" style="display:none"><p>\#(hiddenProse.joined(separator: "</p><p>"))</p></div>"#,
            #"<div class="note" style="display:none"><p>This note is hidden from every reader of the page, subscribed or not.</p></div>"#,
        ]
        let article = try #require(ParserTestSupport.parse(Self.page(boxes), name: "story.html").value)
        #expect(article.paragraphs == [Self.prose[0]] + hiddenProse)
    }
}

@Suite("Publication dates and where they come from")
struct PublishedDateTests {
    static func parse(_ text: String, kind: String, uri: String = "x", fetchedAt: String, name: String? = nil) throws -> Article {
        let raw = RawArticle(id: "0000000000000001", seq: 1, source: SourceRef(kind: kind, uri: uri), fetchedAt: fetchedAt,
                             name: name, body: Array(text.utf8))
        return try #require(ArticleParser(limits: ParserTestSupport.untimed).parse(raw, worker: "test").value)
    }

    static let yearless = "Stocks close higher\n\nNEW YORK, March 30 - Stocks rose on Monday as oil prices fell."

    @Test("a yearless dateline of a live source is dated by a fetch within the 7 days after it; its month and day are kept either way")
    func datelineAndFetch() throws {
        for kind in ["dir", "feed", "zmq"] {
            let article = try Self.parse(Self.yearless, kind: kind, fetchedAt: "2026-04-02T09:00:00.000Z")
            #expect(article.published == "2026-03-30")
            #expect(article.publishedSource == "dateline+fetch")
            #expect(article.dateline?.date == "2026-03-30")
        }
        // Across a new year, and on the seventh day.
        let december = try Self.parse("Year-end trading\n\nNEW YORK, Dec 31 - Markets closed early.", kind: "dir",
                                      fetchedAt: "2027-01-07T00:00:00Z")
        #expect(december.published == "2026-12-31")
        // Too long before the fetch: no year can be known, the dateline keeps its month and day.
        let late = try Self.parse(Self.yearless, kind: "dir", fetchedAt: "2026-04-30T09:00:00.000Z")
        #expect(late.published == nil && late.publishedSource == nil && late.dateline?.date == nil)
        #expect(late.dateline?.month == 3 && late.dateline?.day == 30)
        // A replay dates as the first fetch did (its fetched_at is kept), never by its own clock.
        let replayed = try Self.parse(Self.yearless, kind: "replay", uri: "dir:/srv/inbox/a.txt", fetchedAt: "2026-04-02T09:00:00.000Z")
        #expect(replayed.published == "2026-03-30" && replayed.publishedSource == "dateline+fetch")
        // Not a live source: a benchmark or test run's fetch time says nothing of the news.
        let other = try Self.parse(Self.yearless, kind: "bench", fetchedAt: "2026-04-02T09:00:00.000Z")
        #expect(other.published == nil)
    }

    @Test("the date's source: the article's text, its page, its feed item")
    func sources() throws {
        let text = try Self.parse(" date 2024-03-05 Headline\n\nBody text here.", kind: "dir", fetchedAt: "2026-04-02T00:00:00Z")
        #expect(text.published == "2024-03-05" && text.publishedSource == "text")
        let dated = try Self.parse("Headline\n\nPORTLAND, Ore., Feb 26, 1987 - Shares rose.", kind: "dir", fetchedAt: "2026-04-02T00:00:00Z")
        #expect(dated.published == "1987-02-26" && dated.publishedSource == "text")
        let page = "<html><head><title>T</title><meta property=\"article:published_time\" content=\"2025-06-01T08:00:00Z\"></head>"
            + "<body><article><h1>T</h1><p>First paragraph of the story, long enough to be kept as text.</p></article></body></html>"
        let fromPage = try Self.parse(page, kind: "feed", fetchedAt: "2026-04-02T00:00:00Z", name: "page.html")
        #expect(fromPage.published?.hasPrefix("2025-06-01") == true && fromPage.publishedSource == "page")
        let item = try Self.parse(page, kind: "feed", fetchedAt: "2026-04-02T00:00:00Z", name: "item.html")
        #expect(item.publishedSource == "feed")
        let none = try Self.parse("Headline\n\nNo date anywhere in this text.", kind: "dir", fetchedAt: "2026-04-02T00:00:00Z")
        #expect(none.published == nil && none.publishedSource == nil)
    }
}

extension PublishedDateTests {
    @Test("a fetched page without a date of its own takes its feed item's; a replay of it too")
    func feedItemDate() throws {
        let page = "<html><head><title>T</title></head><body><article><h1>T</h1>"
            + "<p>First paragraph of the story, long enough to be kept as text by the extractor.</p></article></body></html>"
        for source in [SourceRef(kind: "feed", uri: "https://example.org/a", feed: "https://example.org/rss",
                                 published: "Tue, 10 Mar 2026 08:00:00 GMT"),
                       SourceRef(kind: "replay", uri: "feed:https://example.org/a", published: "Tue, 10 Mar 2026 08:00:00 GMT")] {
            let raw = RawArticle(id: "0000000000000002", seq: 1, source: source, fetchedAt: "2026-03-10T09:00:00Z",
                                 name: "page.html", body: Array(page.utf8))
            let article = try #require(ArticleParser(limits: ParserTestSupport.untimed).parse(raw, worker: "test").value)
            #expect(article.published?.hasPrefix("2026-03-10") == true, "\(source.kind)")
            #expect(article.publishedSource == "feed")
            #expect(article.source.published == "Tue, 10 Mar 2026 08:00:00 GMT", "the record's source keeps it")
        }
    }
}
