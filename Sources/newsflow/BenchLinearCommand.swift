import ArgumentParser
import ArticleParsing
import Foundation
import NewsModel

/// `newsflow bench linear`: parse time per byte of pathological inputs at growing sizes. A path that is
/// linear keeps the same time per byte at every size; a quadratic one multiplies it by the size ratio.
struct BenchLinear: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linear",
        abstract: "Parse pathological inputs at growing sizes; report time per byte and how it grows.")

    @Option(name: .long, help: "Sizes in KiB, comma-separated.")
    var sizes: String = "64,512,4096"

    @Option(name: .long, help: "Runs per size; the report is the median run.")
    var runs: Int = 3

    @Flag(name: .long, help: "One JSON object on stdout instead of a table.")
    var json = false

    /// Inputs built to defeat naive patterns, each made to about `n` bytes.
    static let patterns: [(name: String, make: @Sendable (Int) -> String)] = [
        ("commas", { "Commas\n\n" + String(repeating: ",", count: $0) }),
        ("quote marks", { "Quotes\n\n" + String(repeating: "\"", count: $0) + " said Smith." }),
        ("nested quotes", { "Nested\n\n" + String(repeating: "\u{201C}'", count: $0 / 4) + " said Anna Smith." }),
        ("one line of speech", { repeated("Word said Anna Smith, \"yes\" and NATO. ", to: $0, title: "Line") }),
        ("distinct names", { n in
            "Names\n\n" + (0..<max(1, n / 24)).map { "Anna Name\($0) said it. " }.joined()
        }),
        ("capitalized run", { repeated("Word ", to: $0, title: "Capitals") }),
        ("one long word", { "Word\n\n" + String(repeating: "a", count: $0) }),
        ("brackets", { "Brackets\n\n" + String(repeating: "(", count: $0 / 2) + String(repeating: ")", count: $0 / 2) }),
        ("periods", { repeated("U.S. ", to: $0, title: "Periods") }),
        ("blank lines", { "Lines\n" + String(repeating: "\n \n", count: $0 / 3) + "End." }),
        ("HTML nesting", { n in
            "<html><head><title>Deep</title></head><body>" + String(repeating: "<div><p>", count: n / 16)
                + "Text." + String(repeating: "</p></div>", count: n / 16) + "</body></html>"
        }),
        ("JSON escapes", { n in
            #"{"title": "Escapes", "text": ""# + String(repeating: #"\"a\u00e9\n"#, count: n / 12) + #""}"#
        }),
    ]

    private static func repeated(_ unit: String, to size: Int, title: String) -> String {
        title + "\n\n" + String(repeating: unit, count: max(1, size / unit.utf8.count))
    }

    func run() throws {
        let kib = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard kib.count >= 2 else { throw ValidationError("--sizes needs at least two sizes") }
        let parser = ArticleParser(limits: ArticleParser.Limits(timeBudget: nil))
        let clock = ContinuousClock()
        var rows: [Row] = []
        for (name, make) in Self.patterns {
            var nanosPerByte: [Double] = []
            var bytes: [Int] = []
            for size in kib {
                let body = Array(make(size * 1024).utf8)
                let raw = RawArticle(
                    id: "", seq: 0, source: SourceRef(kind: "bench", uri: name), fetchedAt: "2026-01-01T00:00:00.000Z",
                    name: name == "HTML nesting" ? "page.html" : name == "JSON escapes" ? "story.json" : nil, body: body)
                var times: [Double] = []
                for _ in 0..<max(1, runs) {
                    let started = clock.now
                    _ = parser.parse(raw, worker: "bench")
                    times.append((clock.now - started).seconds)
                }
                times.sort()
                bytes.append(body.count)
                nanosPerByte.append(times[times.count / 2] * 1e9 / Double(body.count))
            }
            let growth = (nanosPerByte.last ?? 0) / max(nanosPerByte.first ?? 0, 1e-3)
            rows.append(Row(pattern: name, bytes: bytes, nanosecondsPerByte: nanosPerByte, growth: growth))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(rows) + Data("\n".utf8))
            return
        }
        let ratio = Double(kib[kib.count - 1]) / Double(kib[0])
        print("parse time per byte (ns/B, median of \(runs) runs) at \(kib.map { "\($0) KiB" }.joined(separator: ", "))")
        print("growth = ns/B at the largest size ÷ at the smallest: 1 is linear, \(Int(ratio)) would be quadratic")
        for row in rows {
            let cells = row.nanosecondsPerByte.map { String(format: "%8.1f", $0) }.joined(separator: " ")
            print("  " + row.pattern.padding(toLength: 20, withPad: " ", startingAt: 0) + cells + String(format: "   growth %.2f", row.growth))
        }
    }

    struct Row: Encodable {
        var pattern: String
        var bytes: [Int]
        var nanosecondsPerByte: [Double]
        var growth: Double

        enum CodingKeys: String, CodingKey {
            case pattern, bytes, growth
            case nanosecondsPerByte = "ns_per_byte"
        }
    }
}
