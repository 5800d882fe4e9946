import Foundation
import Logging
import NewsModel
import Testing

@testable import Fetcher

#if canImport(Glibc)
import Glibc
#endif

/// State that would otherwise grow with every article for as long as the fetcher runs: acknowledged
/// sequence numbers, files taken from the drop folder, feed items remembered.
@Suite("Bounded state")
struct BoundedStateTests {
    @Test("sequence ranges: inserts in any order merge, lookups and intersections agree with a plain set")
    func ranges() {
        var generator = SystemRandomNumberGenerator()
        // The same random numbers as ranges and as a plain set.
        func random(_ count: Int) -> (SeqRanges, Set<UInt64>) {
            var ranges = SeqRanges()
            var plain = Set<UInt64>()
            for _ in 0..<count {
                let seq = UInt64.random(in: 0..<600, using: &generator)
                ranges.insert(seq)
                plain.insert(seq)
            }
            return (ranges, plain)
        }
        for _ in 0..<50 {
            let (ranges, plain) = random(400)
            #expect(ranges.count == UInt64(plain.count))
            for seq in 0..<610 { #expect(ranges.contains(UInt64(seq)) == plain.contains(UInt64(seq))) }
            // Ranges never touch: the fewest possible.
            for (a, b) in zip(ranges.ranges, ranges.ranges.dropFirst()) { #expect(a.upperBound + 1 < b.lowerBound) }
            let (other, otherPlain) = random(300)
            let both = ranges.intersection(other)
            #expect(both.count == UInt64(plain.intersection(otherPlain).count))
            for seq in 0..<600 { #expect(both.contains(UInt64(seq)) == (plain.contains(UInt64(seq)) && otherPlain.contains(UInt64(seq)))) }
            // Written and read back as acked.log lines.
            var read = SeqRanges()
            for line in ranges.lines.split(separator: "\n") { if let range = SeqRanges.parse(line: line.utf8) { read.insert(range) } }
            #expect(read == ranges)
        }
    }

    @Test("200,000 articles acknowledged nearly in order: acked.log is rewritten as a few ranges while running, and recovery agrees")
    func ackedLogStaysSmall() throws {
        let folder = JournalTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var settings = Journal.Settings(sync: .never, syncInterval: .milliseconds(50), segmentBytes: 64 << 20,
                                        retention: .seconds(3600), retentionBytes: 1 << 40)
        settings.ackLogCompactionLines = 10_000
        let journal = try Journal(folder: folder, settings: settings, logger: Logger(label: "test"))
        _ = try journal.recover()
        let count: UInt64 = 200_000
        for seq in 1...count {
            try journal.append(JournalTests.article(seq))
            if seq % 1000 == 0 { try journal.commit(now: .now) }
        }
        try journal.commit(now: .now)
        // Acknowledged in batches that arrive out of order, all but every 50,000th.
        for batch in stride(from: 1, through: count, by: 100).reversed() {
            for seq in batch..<min(batch + 100, count + 1) where seq % 50_000 != 0 { journal.acknowledged(seq) }
            try journal.commit(now: .now)
        }
        let log = try String(contentsOf: folder.appendingPathComponent("acked.log"), encoding: .utf8)
        let lines = log.split(separator: "\n").count
        #expect(lines <= 10_010, "acked.log holds \(lines) lines for 200,000 acknowledgements")
        let recovered = try Journal(folder: folder, settings: settings, logger: Logger(label: "test")).recover()
        #expect(recovered.map(\.seq) == [50_000, 100_000, 150_000, 200_000])
        let compacted = try String(contentsOf: folder.appendingPathComponent("acked.log"), encoding: .utf8)
        #expect(compacted.split(separator: "\n").count == 4, "four ranges around the four gaps: \(compacted.prefix(200))")
    }

    @Test("inbox.taken keeps only files still in the drop folder")
    func takenCompacted() throws {
        let root = JournalTests.folder()
        defer { try? FileManager.default.removeItem(at: root) }
        let inbox = root.appendingPathComponent("inbox")
        let state = root.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try Data("kept\n".utf8).write(to: inbox.appendingPathComponent("kept.txt"))
        var index = ""
        for number in 0..<10_000 { index += "12:34\tgone-\(number).txt\n" }
        // The fingerprint the source writes: size and modification time in nanoseconds.
        var info = stat()
        #expect(stat(inbox.appendingPathComponent("kept.txt").path, &info) == 0)
        let size = Int(info.st_size)
        let nanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        index += "\(size):\(nanoseconds)\tkept.txt\n"
        try Data(index.utf8).write(to: state.appendingPathComponent("inbox.taken"))
        let source = try InboxSource(folder: inbox, stateFolder: state, settle: .zero, watch: false, logger: Logger(label: "test"))
        let lines = try String(contentsOf: state.appendingPathComponent("inbox.taken"), encoding: .utf8).split(separator: "\n")
        #expect(lines == ["\(size):\(nanoseconds)\tkept.txt"])
        #expect(source.scan(limit: 10).isEmpty, "the file still there is still known as taken")
    }

    @Test("feed items no feed lists any more are forgotten after remember_days; items still listed are kept")
    func seenGenerations() throws {
        let folder = JournalTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let logger = Logger(label: "test")
        let listed = "00000000000000aa"
        let dropped = "00000000000000bb"
        do {
            var seen = try SeenItems(folder: folder, rememberDays: 30, logger: logger)
            seen.record([listed, dropped])
            seen.close()
        }
        // Half the remembering time later: a new generation; the item still listed is carried over.
        func age(days: Double) throws {
            let since = try String(contentsOf: folder.appendingPathComponent("seen.since"), encoding: .utf8)
            let seconds = (TimeInterval(since.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) - days * 86_400
            try Data("\(Int(seconds))\n".utf8).write(to: folder.appendingPathComponent("seen.since"))
        }
        try age(days: 16)
        do {
            var seen = try SeenItems(folder: folder, rememberDays: 30, logger: logger)
            let found = seen.contains(listed)
            #expect(found)
            seen.close()
        }
        try age(days: 16)
        var seen = try SeenItems(folder: folder, rememberDays: 30, logger: logger)
        let kept = seen.contains(listed)
        let forgotten = !seen.contains(dropped)
        #expect(kept, "still listed: remembered")
        #expect(forgotten, "listed by no feed for over remember_days: forgotten")
        #expect(seen.count == 1)
        seen.close()
    }
}
