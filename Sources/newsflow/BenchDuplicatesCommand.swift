import ArgumentParser
import Foundation
import NewsModel
import Sink

/// `newsflow bench duplicates`: the sink's near-duplicate cost per record as the index grows. Each size
/// fills a fresh index with that many records, then times more records through the sink's own path (find
/// the sketch and time in the record line, look it up, index it, insert `duplicate_of` into one in ten,
/// which are copies of earlier records). Constant time shows as the same figure at every size.
struct BenchDuplicates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Near-duplicate index: time per record and memory at growing numbers of indexed records.")

    @Option(name: .long, help: "Numbers of indexed records, comma-separated.")
    var sizes: String = "10000,100000,1000000"

    @Option(name: .long, help: "Records timed at each size.")
    var records: Int = 100_000

    @Option(name: .long, help: "Runs per size; the report is the median run.")
    var runs: Int = 3

    @Flag(name: .long, help: "One JSON object on stdout instead of a table.")
    var json = false

    struct Row: Encodable {
        var indexed: Int
        var nanosecondsPerRecord: Double
        var linked: Int
        var bytesPerRecord: Double

        enum CodingKeys: String, CodingKey {
            case indexed, linked
            case nanosecondsPerRecord = "ns_per_record"
            case bytesPerRecord = "bytes_per_record"
        }
    }

    /// A record line of about 3 KB with this sketch, shaped as the workers write them.
    static func line(id: String, sketch: MinHashSketch, second: Int) -> [UInt8] {
        let body = String(repeating: "Officials said on Tuesday that the plan would start next month. ", count: 45)
        return Array(("{\"body\":\"\(body)\",\"fetched_at\":\"2026-12-06T10:\(String(format: "%02d:%02d", second / 60 % 60, second % 60)).000Z\","
            + "\"id\":\"\(id)\",\"keywords\":[],\"minhash\":\"\(sketch.text)\",\"paragraphs\":[],\"seq\":1,\"simhash\":\"0\"}").utf8)
    }

    func run() throws {
        let counts = sizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
        guard !counts.isEmpty, records > 0 else { throw ValidationError("--sizes and --records must be positive") }
        // The lines are made before the clock starts: only the sink's work is timed.
        let lines = (0..<records).map { number -> (String, [UInt8]) in
            let id = Hex.format(UInt64(number) &* 0x9E37_79B9_7F4A_7C15 | 1)
            // One in ten is a copy of a record indexed before (8 of 64 values changed).
            var sketch = NearDuplicates.sampleSketch(seed: UInt64(number % 10 == 0 ? number / 10 : 1 << 40 | number))
            if number % 10 == 0 { for step in 0..<8 { sketch.values[step * 8] &+= 1 } }
            return (id, Self.line(id: id, sketch: sketch, second: number))
        }
        var rows: [Row] = []
        let clock = ContinuousClock()
        for count in counts {
            var times: [Double] = []
            var linked = 0
            var bytes = 0.0
            for _ in 0..<max(1, runs) {
                var index = NearDuplicates(settings: NearDuplicates.Settings(
                    windowRecords: 2 * (count + records), windowSeconds: 1 << 40, similarity: 0.65))
                for number in 0..<count {
                    _ = index.add(id: Hex.format(UInt64(number)), sketch: NearDuplicates.sampleSketch(seed: UInt64(number)), fetchedAt: 0)
                }
                linked = 0
                let started = clock.now
                for (id, line) in lines where index.mark(line, id: id, maxBytes: .max).duplicateOf != nil {
                    linked += 1
                }
                times.append((clock.now - started) / .nanoseconds(1) / Double(records))
                bytes = Double(index.allocatedBytes) / Double(index.count)
            }
            times.sort()
            rows.append(Row(indexed: count, nanosecondsPerRecord: times[times.count / 2], linked: linked, bytesPerRecord: bytes))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(rows) + Data("\n".utf8))
            return
        }
        print("near-duplicate index: \(records) records timed at each size (median of \(runs) runs), 1 in 10 a copy")
        print("     indexed   ns/record   linked   allocated/record")
        for row in rows {
            print(String(format: "  %10d  %10.0f  %7d   %9.0f B", row.indexed, row.nanosecondsPerRecord, row.linked, row.bytesPerRecord))
        }
    }
}
