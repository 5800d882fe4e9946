import Foundation
import Testing

/// Batched dispatch, seen from a worker written from docs/protocol.md (pyzmq): a worker that announces a
/// `batch` gets several articles to a `raw` message, one that does not gets one each, as before batches.
@Suite("Batched dispatch", .tags(.endToEnd), .serialized)
struct DispatchBatchTests {
    /// Runs a fetcher alone over 30 dropped files and the probe as its only worker; returns what it saw.
    private func dispatched(capacity: Int, batch: Int) throws -> [String: Any] {
        let harness = try PipelineHarness()
        for index in 0..<30 {
            let text = "Probe story \(index)\n\nOfficials in Oslo said on Monday that item \(index) was ready."
            try harness.drop("story-\(index).txt", Array(text.utf8))
        }
        try harness.start(["fetcher"], environment: ["NEWSFLOW_METRICS_PORT": "-1"])
        let status = harness.dataDir.appendingPathComponent("run/status-fetcher.json")
        // Every file journaled and queued before the worker comes, so what it is sent is up to the fetcher.
        try harness.wait(seconds: 30, "the 30 files queued at the fetcher") {
            guard let bytes = FileManager.default.contents(atPath: status.path),
                  let fields = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { return false }
            return fields["queued"] as? Int == 30
        }
        let endpoint = "ipc://\(harness.dataDir.path)/run/dispatch.sock"
        let (code, output) = try harness.python(
            "Tests/python/dispatch_probe.py", arguments: [endpoint, String(capacity), String(batch), "30"])
        #expect(code == 0, "\(output)")
        #expect(try harness.stop() == 0)
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("a worker announcing batch 8 gets its 30 articles in messages of at most 8, every one once")
    func batched() throws {
        let seen = try dispatched(capacity: 30, batch: 8)
        let sizes = seen["messages"] as? [Int] ?? []
        #expect(seen["articles"] as? Int == 30 && seen["distinct"] as? Int == 30, "\(seen)")
        #expect((seen["bad"] as? [Any])?.isEmpty == true, "\(seen)")
        #expect(sizes.allSatisfy { $0 >= 1 && $0 <= 8 }, "\(sizes)")
        #expect(sizes.count < 30 && sizes.contains(8), "several articles share a message: \(sizes)")
    }

    @Test("a worker that announces no batch gets one article per message")
    func unbatched() throws {
        let seen = try dispatched(capacity: 30, batch: 0)
        #expect(seen["articles"] as? Int == 30 && seen["distinct"] as? Int == 30, "\(seen)")
        #expect((seen["messages"] as? [Int] ?? []) == Array(repeating: 1, count: 30), "\(seen)")
    }
}
