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
        #expect(!article.keywords.isEmpty)
    }
}
