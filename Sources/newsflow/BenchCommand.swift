import ArgumentParser
import ArticleParsing
import Foundation
import NewsModel

/// `newsflow bench`: reproducible throughput measurements.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure throughput.", subcommands: [BenchParse.self, BenchPipeline.self, BenchTransport.self, BenchGenerate.self, BenchLinear.self, BenchDuplicates.self])
}

/// `newsflow bench parse [DIR]`: parse + enrich throughput on one core over a folder of articles.
struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse + enrich every article of a folder on one core; report MB/s, articles/s, p50/p99.")

    @Argument(help: "Folder of articles (default: ../shared/corpus).")
    var folder: String = "../shared/corpus"

    @Option(name: .long, help: "Passes over the folder; the report is the median pass.")
    var passes: Int = 3

    @Flag(name: .long, help: "One JSON object on stdout instead of a table.")
    var json = false

    @Option(name: .long, help: "The entity model file (default: the shipped model).")
    var nerModel: String?

    @Flag(name: .long, help: "Entities by rules alone, without the learned model.")
    var rulesOnly = false

    func run() throws {
        let corpus = try CorpusLoader(folder: URL(fileURLWithPath: folder))
        guard !corpus.items.isEmpty else { throw CorpusError(message: "no articles under \(folder)") }
        let model = rulesOnly ? nil : try NERModel.load(setting: nerModel)
        let parser = ArticleParser(limits: ArticleParser.Limits(timeBudget: nil), entityModel: model)
        let clock = ContinuousClock()
        var passSeconds: [Double] = []
        var latencies: [Double] = []
        var failures = 0
        for pass in 0..<max(1, passes) {
            let started = clock.now
            for (index, item) in corpus.items.enumerated() {
                let raw = RawArticle(
                    id: "", seq: UInt64(index), source: SourceRef(kind: "dir", uri: item.name),
                    fetchedAt: "2026-01-01T00:00:00.000Z", name: item.name, body: item.bytes)
                let one = clock.now
                let result = parser.parse(raw, worker: "bench")
                if pass == 0 {
                    latencies.append((clock.now - one).seconds)
                    if case .failure = result { failures += 1 }
                }
            }
            passSeconds.append((clock.now - started).seconds)
        }
        let median = passSeconds.sorted()[passSeconds.count / 2]
        latencies.sort()
        let bytes = Double(corpus.totalBytes)
        let report = ParseReport(
            articles: corpus.items.count, bytes: corpus.totalBytes, failures: failures, skippedFiles: corpus.skipped,
            passes: passSeconds.count, seconds: median,
            articlesPerSecond: Double(corpus.items.count) / median, mbPerSecond: bytes / median / 1_000_000,
            p50Microseconds: latencies[latencies.count / 2] * 1e6,
            p99Microseconds: latencies[min(latencies.count - 1, latencies.count * 99 / 100)] * 1e6)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            print(String(format: """
                parse + enrich, one core, median of %d passes over %@
                  articles        %d (%d not articles: dead-letter), %d files skipped
                  bytes           %.1f MB
                  throughput      %.1f MB/s, %.0f articles/s
                  per article     p50 %.0f µs, p99 %.0f µs
                """, report.passes, folder, report.articles, report.failures, report.skippedFiles,
                bytes / 1_000_000, report.mbPerSecond, report.articlesPerSecond, report.p50Microseconds,
                report.p99Microseconds))
        }
    }

    struct ParseReport: Encodable {
        var articles: Int
        var bytes: Int
        var failures: Int
        var skippedFiles: Int
        var passes: Int
        var seconds: Double
        var articlesPerSecond: Double
        var mbPerSecond: Double
        var p50Microseconds: Double
        var p99Microseconds: Double

        enum CodingKeys: String, CodingKey {
            case articles, bytes, failures, passes, seconds
            case skippedFiles = "skipped_files"
            case articlesPerSecond = "articles_per_second"
            case mbPerSecond = "mb_per_second"
            case p50Microseconds = "p50_us"
            case p99Microseconds = "p99_us"
        }
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
