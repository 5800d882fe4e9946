import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The drop folder is watched with inotify. Scans run here only once a minute and a file seen by a scan
/// must have been still for 30 s, so a file that lands within seconds was reported by the watch.
@Suite("Inbox watch", .tags(.endToEnd), .serialized)
struct InboxWatchTests {
    /// A pipeline whose drop folder is scanned once a minute, started and past its first scan, so a file
    /// dropped next can only be seen by the watch.
    static func idlePipeline(_ environment: [String: String]) throws -> PipelineHarness {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "1"], environment: environment.merging([
            "NEWSFLOW_FETCHER_INBOX_SCAN_MS": "60000", "NEWSFLOW_METRICS_PORT": "-1",
        ]) { $1 })
        try harness.wait(seconds: 60, "the pipeline to start") { harness.log.contains("worker joined") }
        Thread.sleep(forTimeInterval: 0.5)
        return harness
    }

    @Test("files renamed in or closed by their writer are taken at once; names being written are not")
    func watched() throws {
        let harness = try Self.idlePipeline(["NEWSFLOW_FETCHER_INBOX_SETTLE_MS": "30000"])
        let started = Date()
        // Renamed in (the documented way to drop a file).
        try harness.drop("renamed.txt", generatedArticle(800_001))
        // Written in place and closed, as `cp` does.
        #expect(FileManager.default.createFile(atPath: harness.inbox.appendingPathComponent("copied.txt").path,
                                       contents: Data(generatedArticle(800_002))))
        // Still being written: skipped by name.
        #expect(FileManager.default.createFile(atPath: harness.inbox.appendingPathComponent("partial.txt.part").path,
                                       contents: Data(generatedArticle(800_003))))
        try harness.wait(seconds: 20, "the two finished files as records") { harness.ids(in: harness.out).count >= 2 }
        let took = Date().timeIntervalSince(started)
        #expect(took < 20, "taken \(took) s after they landed; a scan would take up to 60 s")
        Thread.sleep(forTimeInterval: 1)
        let uris = try harness.records(in: harness.out).compactMap { $0["source"] as? [String: Any] }.compactMap { $0["uri"] as? String }
        #expect(uris.count == 2)
        #expect(uris.contains { $0.hasSuffix("renamed.txt") } && uris.contains { $0.hasSuffix("copied.txt") }, "\(uris)")
        #expect(try harness.stop() == 0)
    }

    @Test("with fetcher.inbox.watch off, only the scans take files")
    func unwatched() throws {
        let harness = try Self.idlePipeline(["NEWSFLOW_FETCHER_INBOX_WATCH": "false"])
        try harness.drop("late.txt", generatedArticle(800_004))
        Thread.sleep(forTimeInterval: 3)
        #expect(harness.ids(in: harness.out).isEmpty, "no watch: the file waits for the next scan, a minute away")
        #expect(try harness.stop() == 0)
    }
}
