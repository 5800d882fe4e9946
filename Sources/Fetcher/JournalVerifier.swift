import Foundation
import NewsModel

/// Reads a journal without changing it, for `newsflow verify`: checksums, torn tails, and which articles
/// were acknowledged.
public struct JournalVerifier {
    /// What was found.
    public struct Report: Sendable {
        /// Segment files read.
        public var segments = 0
        /// Lines whose checksum holds.
        public var records = 0
        /// Ids of acknowledged articles.
        public var acknowledged: [String] = []
        /// Ids of articles not (yet) acknowledged.
        public var unacknowledged: [String] = []
        /// Damaged lines and torn tails, one sentence each.
        public var problems: [String] = []
    }

    private let folder: URL

    /// A verifier for the journal folder.
    public init(folder: URL) {
        self.folder = folder
    }

    /// Reads everything.
    public func verify() -> Report {
        var report = Report()
        var acked = SeqRanges()
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent("acked.log").path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let range = SeqRanges.parse(line: line) { acked.insert(range) }
            }
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("segment-") && $0.hasSuffix(".jsonl") }.sorted()
        for name in names {
            report.segments += 1
            let bytes = [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data())
            var start = 0
            var number = 0
            while start < bytes.count {
                guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                    report.problems.append("journal \(name): torn last line at byte \(start); the fetcher cuts it off when it starts")
                    break
                }
                number += 1
                switch JournalLine.decode(bytes[start..<newline]) {
                case .success(let raw):
                    report.records += 1
                    if acked.contains(raw.seq) { report.acknowledged.append(raw.id) } else { report.unacknowledged.append(raw.id) }
                case .failure(let error):
                    report.problems.append("journal \(name):\(number): \(error)")
                }
                start = newline + 1
            }
        }
        return report
    }
}
