import Foundation
import NewsModel
import Testing

@Suite("Shared corpus: BBC and NAEB")
struct CorpusTests {
    static let corpus = ParserTestSupport.shared.appendingPathComponent("corpus")

    @Test("BBC: every article parses, the title is its first line (99%), and none has a dateline (BBC sends none)")
    func bbc() throws {
        let folder = Self.corpus.appendingPathComponent("bbc")
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
            Issue.record("the shared corpus is missing (../shared/corpus/bbc)")
            return
        }
        var total = 0, parsed = 0, titles = 0, english = 0
        var datelines: [String] = []
        for case let path as String in enumerator where path.hasSuffix(".txt") {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) else { continue }
            total += 1
            let bytes = Array(data)
            guard let article = ParserTestSupport.parse(bytes, name: path).value else { continue }
            parsed += 1
            let firstLine = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if article.title == firstLine { titles += 1 }
            if article.language == "en" { english += 1 }
            if let dateline = article.dateline { datelines.append("\(path): \(dateline.text)") }
        }
        print(String(format: "BBC: %d articles, parsed %.2f%%, title %.2f%%, language en %.2f%%", total,
                     100 * Double(parsed) / Double(total), 100 * Double(titles) / Double(total),
                     100 * Double(english) / Double(total)))
        #expect(total > 1000)
        #expect(parsed == total)
        #expect(Double(titles) >= 0.99 * Double(total))
        #expect(Double(english) >= 0.99 * Double(total))
        #expect(datelines.isEmpty, "datelines found in body text: \(datelines.prefix(10))")
    }

    @Test("NAEB: every article given as JSON parses; title and date match for 99%")
    func naebJSON() throws {
        let url = Self.corpus.appendingPathComponent("naeb/articles.json")
        guard let data = FileManager.default.contents(atPath: url.path),
              let articles = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]]
        else {
            Issue.record("the shared corpus is missing (../shared/corpus/naeb/articles.json)")
            return
        }
        var parsed = 0, titles = 0, dates = 0, withDate = 0
        for (_, fields) in articles {
            let object: [String: Any] = [
                "title": fields["title"] ?? "", "text": fields["articleBody"] ?? "", "date": fields["date"] ?? "",
            ]
            let raw = try JSONSerialization.data(withJSONObject: object)
            guard let article = ParserTestSupport.parse(Array(raw), name: "a.json").value else { continue }
            parsed += 1
            if article.title == (fields["title"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines) { titles += 1 }
            if let date = fields["date"] as? String, !date.isEmpty {
                withDate += 1
                if article.published?.hasPrefix(String(date.prefix(10))) == true { dates += 1 }
            }
        }
        let total = articles.count
        print(String(format: "NAEB JSON: %d articles, parsed %.2f%%, title %.2f%%, date %.2f%% (of %d with a date)",
                     total, 100 * Double(parsed) / Double(total), 100 * Double(titles) / Double(total),
                     100 * Double(dates) / Double(max(1, withDate)), withDate))
        #expect(parsed == total)
        #expect(Double(titles) >= 0.99 * Double(total))
        #expect(Double(dates) >= 0.99 * Double(withDate))
    }

    @Test("NAEB HTML pages: every page gives a record or a reason, never a crash; 95% give records")
    func naebHTML() throws {
        let folder = Self.corpus.appendingPathComponent("naeb/html")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            Issue.record("the shared corpus is missing (../shared/corpus/naeb/html)")
            return
        }
        var pages = 0, records = 0
        for name in names.sorted() where name.hasSuffix(".html.gz") {
            let html = try Self.gunzip(folder.appendingPathComponent(name))
            pages += 1
            switch ParserTestSupport.parse(html, name: String(name.dropLast(3))) {
            case .success: records += 1
            case .failure(let failure): #expect(!failure.reason.isEmpty, "\(name) failed without a reason")
            }
        }
        print("NAEB HTML: \(pages) pages, \(records) records, \(pages - records) dead-lettered with a reason")
        #expect(pages > 100)
        #expect(records * 100 >= pages * 95, "the HTML extractor finds text in at least 95% of real pages")
    }

    /// Decompresses with the system's gzip (tests only; the pipeline reads no gzip input yet).
    static func gunzip(_ url: URL) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }
}
