// libFuzzer target: raw bytes through the whole parse + enrich path (text, JSON and HTML readers).
import ArticleParsing
import NewsModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let names: [String?] = [nil, "page.html", "story.json", "wire.txt"]
    let raw = RawArticle(
        id: "fuzz", seq: 1, source: SourceRef(kind: "fuzz", uri: ""), fetchedAt: "2026-01-01T00:00:00Z",
        name: names[size % names.count], body: bytes)
    // No time budget: the budget check would hide slow paths that libFuzzer's -timeout should report.
    _ = ArticleParser(limits: ArticleParser.Limits(maxJSONDepth: 64, maxEntities: 50, timeBudget: nil)).parse(raw, worker: "fuzz")
    return 0
}
