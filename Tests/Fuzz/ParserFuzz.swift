// libFuzzer target: raw bytes through the whole parse + enrich path (text, JSON and HTML readers).
import ArticleParsing
import NewsModel

/// The shipped entity model (the fuzz script runs from the repository's root), so the learned path is
/// fuzzed too; rules alone if it cannot be read.
let fuzzModel = try? NERModel.load(path: "Sources/ArticleParsing/Resources/en-conll2003.nfner")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let names: [String?] = [nil, "page.html", "story.json", "wire.txt"]
    let raw = RawArticle(
        id: "fuzz", seq: 1, source: SourceRef(kind: "fuzz", uri: ""), fetchedAt: "2026-01-01T00:00:00Z",
        name: names[size % names.count], body: bytes)
    // No time budget: the budget check would hide slow paths that libFuzzer's -timeout should report.
    _ = ArticleParser(limits: ArticleParser.Limits(maxJSONDepth: 64, maxEntities: 50, timeBudget: nil), entityModel: fuzzModel)
        .parse(raw, worker: "fuzz")
    return 0
}
