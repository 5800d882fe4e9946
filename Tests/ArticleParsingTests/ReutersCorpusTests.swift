import Foundation
import NewsModel
import Testing

/// Reuters-21578 stories from the shared corpus, as raw wire text (title, blank line, dateline + body) with
/// their gold `<TITLE>`, `<DATELINE>` and `<DATE>`.
struct ReutersStory {
    var title: String
    var dateline: String
    var date: String
    var raw: String

    static func load(limit: Int = .max) -> [ReutersStory]? {
        let folder = ParserTestSupport.shared.appendingPathComponent("corpus/reuters21578")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return nil }
        var stories: [ReutersStory] = []
        for name in names.sorted() where name.hasSuffix(".sgm") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for document in text.components(separatedBy: "</REUTERS>") {
                guard let body = element("BODY", in: document), let title = element("TITLE", in: document),
                      let dateline = element("DATELINE", in: document), let date = element("DATE", in: document)
                else { continue }
                stories.append(ReutersStory(title: title, dateline: dateline, date: date, raw: header(title, date) + dateline + body))
                if stories.count >= limit { return stories }
            }
        }
        return stories
    }

    /// The story's title line: the seed format's ` date YYYY-MM-DD Title` when `<DATE>` (`26-FEB-1987 ...`)
    /// reads as a date, so datelines get their year from the article's own date; else the bare title.
    private static func header(_ title: String, _ date: String) -> String {
        let parts = (date.split(separator: " ").first ?? "").split(separator: "-")
        let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        guard parts.count == 3, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])),
              let year = Int(parts[2])
        else { return title + "\n\n" }
        return String(format: " date %04d-%02d-%02d %@\n\n", year, month + 1, day, title)
    }

    private static func element(_ name: String, in document: String) -> String? {
        guard let open = document.range(of: "<\(name)>"), let close = document.range(of: "</\(name)>", range: open.upperBound..<document.endIndex)
        else { return nil }
        return String(document[open.upperBound..<close.lowerBound])
    }
}

@Suite("Shared corpus")
struct ReutersCorpusTests {
    @Test("Reuters-21578: every story parses; dateline city and day match the gold tags for 99.7%, titles for 99%")
    func reuters() throws {
        guard let stories = ReutersStory.load(), !stories.isEmpty else {
            Issue.record("the shared corpus is missing (../shared/corpus/reuters21578): cannot check real wire text")
            return
        }
        var parsed = 0, cityMatches = 0, dayMatches = 0, titleMatches = 0
        var misses: [String] = []
        for story in stories {
            guard let article = ParserTestSupport.parse(story.raw).value else { continue }
            parsed += 1
            let goldCity = story.dateline.trimmingCharacters(in: .whitespaces).split(separator: ",").first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if article.dateline?.city?.lowercased() == goldCity { cityMatches += 1 } else if misses.count < 15 {
                misses.append("\(story.dateline.trimmingCharacters(in: .whitespaces)) -> \(article.dateline?.city ?? "nil")")
            }
            // The gold day is the number in the gold dateline (`Feb 26`); stories whose dateline has none
            // count as a match when the parser found no date either.
            let goldDay = story.dateline.split(whereSeparator: { !$0.isNumber }).last.flatMap { Int($0) }
            if let date = article.dateline?.date { if Int(date.suffix(2)) == goldDay { dayMatches += 1 } } else if goldDay == nil { dayMatches += 1 }
            let goldTitle = HTMLDecoded.decode(story.title).lowercased().split(separator: " ").joined(separator: " ")
            if article.title?.lowercased() == goldTitle { titleMatches += 1 }
        }
        let total = Double(stories.count)
        print(String(format: "Reuters-21578: %d stories, parsed %.2f%%, dateline city %.2f%%, dateline day %.2f%%, title %.2f%%",
                     stories.count, 100 * Double(parsed) / total, 100 * Double(cityMatches) / total,
                     100 * Double(dayMatches) / total, 100 * Double(titleMatches) / total))
        print("first dateline misses:\n  " + misses.joined(separator: "\n  "))
        #expect(parsed == stories.count, "every story gives a record")
        #expect(Double(cityMatches) / total >= 0.997, "dateline city matches <DATELINE> for at least 99.7%")
        #expect(Double(dayMatches) / total >= 0.997, "dateline day matches <DATELINE> for at least 99.7%")
        #expect(Double(titleMatches) / total >= 0.99, "title matches <TITLE> (case aside) for at least 99%")
    }
}

/// Decodes the `&lt;`-style escapes of the SGML gold for comparison.
enum HTMLDecoded {
    static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
