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

    @Test("ordinary first sentences are not datelines")
    func notDateline() throws {
        for body in ["The talks - which began Monday - ended.", "Officials said the plan - if approved - helps.",
                     "Nagorno-Karabakh has been disputed since 1988."] {
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
}
