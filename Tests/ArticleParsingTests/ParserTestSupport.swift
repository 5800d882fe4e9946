import ArticleParsing
import Foundation
import NewsModel

/// Helpers shared by the parsing tests.
enum ParserTestSupport {
    static let shared = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var seedURL: URL { shared.appendingPathComponent("seeds/000_87078c263ab8fd8c.txt") }

    static var fixtures: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }

    /// The shipped entity model, read from the source tree: records of these tests are what workers make.
    static let modelPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/ArticleParsing/Resources/en-conll2003.nfner").path
    static let model: NERModel? = try? NERModel.load(path: modelPath)

    /// The parser's limits, without a time budget: the debug builds the tests run are slow and shared.
    static let untimed = ArticleParser.Limits(timeBudget: nil)

    static func parse(_ bytes: [UInt8], name: String? = nil, limits: ArticleParser.Limits = untimed) -> Result<Article, ParseFailure> {
        let raw = RawArticle(
            id: ArticleID(contentOf: bytes).description, seq: 1, source: SourceRef(kind: "test", uri: name ?? "-"),
            fetchedAt: "2026-11-29T00:00:00.000Z", name: name, body: bytes)
        return ArticleParser(limits: limits, entityModel: model).parse(raw, worker: "test")
    }

    static func parse(_ text: String, name: String? = nil, limits: ArticleParser.Limits = untimed) -> Result<Article, ParseFailure> {
        parse(Array(text.utf8), name: name, limits: limits)
    }
}

extension Result {
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }

    var error: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
