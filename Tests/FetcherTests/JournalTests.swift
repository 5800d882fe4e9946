import Foundation
import Logging
import NewsModel
import Testing

@testable import Fetcher

@Suite("Journal: crash consistency")
struct JournalTests {
    static let settings = Journal.Settings(
        sync: .always, syncInterval: .milliseconds(50), segmentBytes: 64 * 1024, retention: .seconds(3600),
        retentionBytes: 1 << 30)

    static func folder() -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-journal-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func article(_ seq: UInt64) -> RawArticle {
        let body: [UInt8] = seq % 7 == 0 ? [0xFF, 0xFE, 0x00, UInt8(truncatingIfNeeded: seq)]  // not UTF-8: base64
            : Array("Story \(seq)\n\nBody of story \(seq), with “quotes” and é.".utf8)
        return RawArticle(
            id: ArticleID(contentOf: body).description, seq: seq, source: SourceRef(kind: "zmq", uri: "test"),
            fetchedAt: "2026-11-29T00:00:00.000Z", name: "s\(seq).txt", body: body)
    }

    /// Writes `count` articles, acknowledging every third.
    static func write(_ count: UInt64, to folder: URL) throws -> (all: [RawArticle], acked: Set<UInt64>) {
        let journal = try Journal(folder: folder, settings: settings, logger: Logger(label: "test"))
        #expect(try journal.recover().isEmpty)
        var all: [RawArticle] = []
        var acked = Set<UInt64>()
        for seq in 1...count {
            let raw = article(seq)
            all.append(raw)
            try journal.append(raw)
            if seq % 10 == 0 { try journal.commit(now: .now) }
        }
        try journal.commit(now: .now)
        for seq in stride(from: 3, through: count, by: 3) {
            journal.acknowledged(seq)
            acked.insert(seq)
        }
        try journal.commit(now: .now)
        return (all, acked)
    }

    @Test("a clean restart redelivers exactly the unacknowledged articles, bytes intact")
    func cleanRestart() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (all, acked) = try Self.write(500, to: folder)
        let recovered = try Journal(folder: folder, settings: Self.settings, logger: Logger(label: "test")).recover()
        #expect(recovered == all.filter { !acked.contains($0.seq) })
        let segments = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("segment-") }
        #expect(segments.count > 1, "64 KiB segments rotate")
    }

    @Test("cut at a random byte offset: recovery never stalls, never invents, keeps every whole line",
          arguments: Array(0..<25))
    func cutAtRandomOffset(trial: Int) throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (all, acked) = try Self.write(300, to: folder)
        var generator = SystemRandomNumberGenerator()
        let segments = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("segment-") }.sorted()
        // Simulate a crash mid-write: the last segment loses a random-length tail.
        let last = folder.appendingPathComponent(try #require(segments.last))
        let data = try Data(contentsOf: last)
        let cut = Int.random(in: 0..<data.count, using: &generator)
        try data.prefix(cut).write(to: last)
        let wholeLines = data.prefix(cut).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).count
            - (data.prefix(cut).last == UInt8(ascii: "\n") || cut == 0 ? 0 : 1)

        let journal = try Journal(folder: folder, settings: Self.settings, logger: Logger(label: "test"))
        let recovered = try journal.recover()
        let expectedAll = all.filter { !acked.contains($0.seq) }
        #expect(recovered.allSatisfy { expectedAll.contains($0) }, "nothing invented or altered")
        let lostSeqs = Set(expectedAll.map(\.seq)).subtracting(recovered.map(\.seq))
        // Only lines of the cut segment beyond the cut can be missing.
        let firstOfLast = try #require(UInt64(last.lastPathComponent.dropFirst("segment-".count).dropLast(".jsonl".count)))
        #expect(lostSeqs.allSatisfy { $0 >= firstOfLast + UInt64(max(0, wholeLines)) })
        let cutData = try Data(contentsOf: last)
        #expect(cutData.isEmpty || cutData.last == UInt8(ascii: "\n"), "the torn tail was cut off")
        // The journal keeps working after recovery.
        try journal.append(Self.article(10_000))
        try journal.commit(now: .now)
        let again = try Journal(folder: folder, settings: Self.settings, logger: Logger(label: "test")).recover()
        #expect(again.contains { $0.seq == 10_000 })
    }

    @Test("a corrupted byte inside a line is detected by its checksum and set aside")
    func corruptLine() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.write(50, to: folder)
        let segment = folder.appendingPathComponent(
            try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("segment-") }))
        var bytes = [UInt8](try Data(contentsOf: segment))
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "S")))  // inside the first body
        bytes[index] = UInt8(ascii: "X")
        try Data(bytes).write(to: segment)
        let recovered = try Journal(folder: folder, settings: Self.settings, logger: Logger(label: "test")).recover()
        #expect(!recovered.contains { $0.seq == 1 }, "the damaged line is never delivered")
        #expect(recovered.contains { $0.seq == 2 })
        let quarantine = folder.appendingPathComponent("quarantine")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: quarantine.path)).isEmpty)
    }

    @Test("a line over max_line_bytes: written cut to fit and marked for dead-letter; met on reading, set aside")
    func lineLimit() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = Self.settings
        settings.maxLineBytes = 8192
        let journal = try Journal(folder: folder, settings: settings, logger: Logger(label: "test"))
        _ = try journal.recover()
        // Control characters escape to six bytes each: a 4 KB body makes a 24 KB line.
        let body = [UInt8](repeating: 0x01, count: 4096)
        let raw = RawArticle(id: "big", seq: 1, source: SourceRef(kind: "zmq", uri: "test"),
                             fetchedAt: "2026-11-29T00:00:00.000Z", name: "big.txt", body: body)
        let journaled = try journal.append(raw)
        try journal.append(Self.article(2))
        try journal.commit(now: .now)
        #expect(journaled.deadLetterReason?.contains("over limits.max_line_bytes (8192)") == true)
        #expect(journaled.body.count < body.count && journaled.body.count > 0)
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("segment-") })
        let lines = try Data(contentsOf: folder.appendingPathComponent(segment)).split(separator: UInt8(ascii: "\n"))
        #expect(lines.allSatisfy { $0.count <= 8192 })
        let recovered = try Journal(folder: folder, settings: settings, logger: Logger(label: "test")).recover()
        #expect(recovered.map(\.seq) == [1, 2])
        #expect(recovered.first?.deadLetterReason == journaled.deadLetterReason)

        // A journal written with a larger limit, read with a smaller one: the long line is quarantined.
        settings.maxLineBytes = 4096
        let again = try Journal(folder: folder, settings: settings, logger: Logger(label: "test")).recover()
        #expect(again.map(\.seq) == [2])
        let quarantine = folder.appendingPathComponent("quarantine")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: quarantine.path)).isEmpty)
    }
}
