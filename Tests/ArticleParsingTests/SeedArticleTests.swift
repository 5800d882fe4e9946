import Foundation
import NewsModel
import Testing

@Suite("The seed article")
struct SeedArticleTests {
    @Test("title, date, dateline and body come out of the seed format")
    func seed() throws {
        let url = ParserTestSupport.seedURL
        try #require(FileManager.default.fileExists(atPath: url.path), "shared seed missing at \(url.path)")
        let article = try #require(ParserTestSupport.parse(Array(try Data(contentsOf: url))).value)
        #expect(article.title == "Azerbaijani FM meets OSCE secretary general")
        #expect(article.published == "2017-09-23")
        #expect(article.dateline?.text == "Baku, Azerbaijan, Sept. 23")
        #expect(article.dateline?.city == "Baku")
        #expect(article.dateline?.country == "Azerbaijan")
        #expect(article.dateline?.countryCode == "AZ")
        #expect(article.dateline?.date == "2017-09-23")
        #expect(article.paragraphs.count == 9)
        #expect(article.paragraphs.first?.hasPrefix("In order to achieve progress") == true)
        #expect(article.paragraphs.last?.hasSuffix("the surrounding districts.") == true)
        #expect(article.body == article.paragraphs.joined(separator: "\n\n"))
        #expect(article.body.contains("country’s Foreign Minister"))  // typographic apostrophe kept
        #expect(article.language == "en")
        #expect(article.stats.paragraphs == 9)
        #expect(article.stats.words > 300 && article.stats.words < 400)
        #expect(article.summary.hasPrefix("In order to achieve progress"))
        #expect(article.countries?.contains("AZ") == true)
        #expect(article.countries?.contains("AM") == true)
        #expect(article.simhash.count == 16)
        #expect(article.keywords.prefix(5).contains("Mammadyarov"))
        #expect(article.keywords.prefix(5).contains("OSCE"))
        #expect(article.summary.hasSuffix("the Azerbaijani Foreign Ministry said Sept. 23."), "summary is the two lead sentences")
    }

    @Test("entities: persons with roles, organizations, locations, mentions folded")
    func entities() throws {
        let article = try #require(ParserTestSupport.parse(Array(try Data(contentsOf: ParserTestSupport.seedURL))).value)
        let entities = try #require(article.entities)
        let persons = Dictionary(uniqueKeysWithValues: entities.persons.map { ($0.name, $0) })
        #expect(persons["Elmar Mammadyarov"]?.role == "Foreign Minister")
        #expect(persons["Elmar Mammadyarov"]?.mentions == 4, "Mammadyarov alone folds into the full name")
        #expect(persons["Thomas Greminger"]?.role == "OSCE secretary general")
        #expect(persons["Mammadyarov"] == nil)
        #expect(entities.persons.count == 2)
        let organizations = Set(entities.organizations.map(\.name))
        #expect(organizations.isSuperset(of: ["OSCE", "UN Security Council"]))
        let locations = Dictionary(uniqueKeysWithValues: entities.locations.map { ($0.name, $0) })
        #expect(Set(locations.keys).isSuperset(of: ["Baku", "Azerbaijan", "Armenia", "Nagorno-Karabakh"]))
        #expect(locations["Azerbaijan"]?.country == "AZ")
        #expect(locations["Baku"]?.country == "AZ")
        #expect(locations["Armenia"]?.country == "AM")
        #expect(Set(article.countries ?? []) == ["AZ", "AM"])
    }

    @Test("quotes are attributed to their speakers")
    func quotes() throws {
        let article = try #require(ParserTestSupport.parse(Array(try Data(contentsOf: ParserTestSupport.seedURL))).value)
        let quotes = try #require(article.quotes)
        let byMammadyarov = quotes.filter { $0.speaker == "Elmar Mammadyarov" }.map(\.text)
        #expect(byMammadyarov.contains { $0.hasPrefix("In order to achieve progress in the settlement") && $0.hasSuffix("territories of Azerbaijan") })
        #expect(byMammadyarov.contains("Attempts aimed at altering the internationally recognized borders of states by use of force are unacceptable"))
        #expect(byMammadyarov.contains { $0.hasPrefix("the conflict must be resolved in accordance") })
        #expect(quotes.allSatisfy { !$0.text.isEmpty && !$0.speaker.isEmpty })
    }
}
