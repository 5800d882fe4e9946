import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Sink group commit", .tags(.endToEnd), .serialized)
struct GroupCommitTests {
    /// A pyzmq peer plays the worker and the fetcher around a sink running alone (`sink.fsync_ms` 1500,
    /// `sink.fsync_every` 10), as docs/protocol.md describes them.
    @Test("an idle sink acknowledges a line on its own; lines that come while a sync is due later share syncs of at most fsync_every, each acknowledged once, after its line is in out/")
    func groupCommit() throws {
        let harness = try PipelineHarness()
        let sink = try harness.spawn(
            ["sink"], environment: ["NEWSFLOW_SINK_FSYNC_MS": "1500", "NEWSFLOW_SINK_FSYNC_EVERY": "10"])
        defer { if sink.isRunning { kill(sink.processIdentifier, SIGKILL) } }
        try harness.wait(seconds: 30, "the sink's results endpoint") {
            FileManager.default.fileExists(atPath: harness.dataDir.appendingPathComponent("run/results.sock").path)
        }
        let count = 40
        let (status, output) = try harness.python(
            "Tests/python/group_commit.py",
            arguments: [harness.dataDir.appendingPathComponent("run").path, harness.out.path, String(count)])
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").last)
        let decoded = try JSONSerialization.jsonObject(with: Data(line.utf8))
        let report = try #require(decoded as? [String: [[[String: Any]]]])
        let alone = try #require(report["alone"])
        let burst = try #require(report["burst"])

        // Idle: the one line is synced and acknowledged on its own, at once rather than at the next sync.
        #expect(alone.count == 1 && alone.first?.count == 1, "\(alone)")
        #expect(alone.first?.first?["seq"] as? Int == 1)

        // Busy: every line acknowledged once, after it reached out/, in groups of at most fsync_every.
        let acks = burst.flatMap { $0 }
        #expect(acks.count == count)
        #expect(Set(acks.compactMap { $0["seq"] as? Int }) == Set(2..<(2 + count)))
        #expect(acks.allSatisfy { $0["outcome"] as? String == "written" })
        #expect(acks.allSatisfy { $0["in_out"] as? Bool == true },
                "an acknowledgement came before its line was in out/")
        #expect(burst.allSatisfy { $0.count <= 10 }, "a group larger than sink.fsync_every: \(burst.map(\.count))")
        #expect(burst.count < count, "lines were synced one by one: \(burst.map(\.count))")
        #expect(harness.ids(in: harness.out).count == count + 1)

        kill(sink.processIdentifier, SIGTERM)
        try harness.wait(seconds: 10, "the sink to stop") { !sink.isRunning }
        #expect(sink.terminationStatus == 0)
    }
}
