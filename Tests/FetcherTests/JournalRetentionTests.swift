import Foundation
import Logging
import NewsModel
import Testing

@testable import Fetcher

@Suite("Journal: retention")
struct JournalRetentionTests {
    @Test("fully acknowledged closed segments are retired past the size budget; unacknowledged ones never")
    func retention() throws {
        let folder = JournalTests.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let settings = Journal.Settings(
            sync: .never, syncInterval: .milliseconds(50), segmentBytes: 8 * 1024, retention: .seconds(3600),
            retentionBytes: 1)
        let journal = try Journal(folder: folder, settings: settings, logger: Logger(label: "test"))
        _ = try journal.recover()
        for seq in 1...400 as ClosedRange<UInt64> {
            try journal.append(JournalTests.article(seq))
            if seq % 20 == 0 { try journal.commit(now: .now) }
        }
        try journal.commit(now: .now)
        func segments() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("segment-") }.sorted()
        }
        let before = try segments()
        #expect(before.count > 5)
        // Acknowledge everything but seq 250.
        for seq in 1...400 as ClosedRange<UInt64> where seq != 250 { journal.acknowledged(seq) }
        try journal.commit(now: .now + .seconds(11))
        let after = try segments()
        #expect(after.count < before.count, "retired \(before.count - after.count) segments")
        let recovered = try Journal(folder: folder, settings: settings, logger: Logger(label: "test")).recover()
        #expect(recovered.map(\.seq) == [250], "the unacknowledged article is kept whatever the budget")
    }
}
