import Foundation
import NewsModel
import Testing

@Suite("Entities and quotes")
struct EntityTests {
    @Test("direct quotes before and after the speaker, pronouns resolved to the last person named")
    func directQuotes() throws {
        let url = ParserTestSupport.fixtures.appendingPathComponent("direct-quotes.txt")
        let article = try #require(ParserTestSupport.parse(Array(try Data(contentsOf: url))).value)
        let quotes = try #require(article.quotes)
        #expect(quotes.contains(Quote(speaker: "Marieke de Vries", text: "This agreement gives our members the security they asked for")))
        #expect(quotes.contains(Quote(speaker: "Jan Bakker", text: "Ships that waited at anchor will be handled within a week")))
        #expect(quotes.contains(Quote(speaker: "Marieke de Vries", text: "We expect a clear yes")))
        let persons = Set(article.entities?.persons.map(\.name) ?? [])
        #expect(persons.isSuperset(of: ["Marieke de Vries", "Jan Bakker"]))
        let organizations = Set(article.entities?.organizations.map(\.name) ?? [])
        #expect(organizations.contains("Port Authority"))
        #expect(article.dateline?.city == "Rotterdam")
        #expect(article.dateline?.countryCode == "NL")
    }

    @Test("acronyms defined in parentheses fold into their expansion")
    func acronyms() throws {
        let text = "Health alert\n\nThe World Health Organization (WHO) warned on Monday of a new outbreak. WHO officials said the risk was moderate, and WHO will send experts."
        let article = try #require(ParserTestSupport.parse(text).value)
        let who = article.entities?.organizations.first { $0.name == "World Health Organization" }
        #expect(who?.mentions == 3)
        #expect(article.entities?.organizations.contains { $0.name == "WHO" } == false)
    }

    @Test("sentence-initial words, months and weekdays are not entities")
    func noiseIsNotAnEntity() throws {
        let text = "Quiet week\n\nThe market was calm on Monday. In March, traders expect more. However, nothing moved."
        let article = try #require(ParserTestSupport.parse(text).value)
        let all = (article.entities?.persons ?? []) + (article.entities?.organizations ?? []) + (article.entities?.locations ?? [])
        #expect(all.isEmpty, "\(all.map(\.name))")
    }
}
