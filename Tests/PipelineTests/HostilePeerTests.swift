import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Hostile peers", .tags(.endToEnd), .serialized)
struct HostilePeerTests {
    @Test("garbage on every endpoint: every role keeps running, counts what it refused, valid articles all arrive")
    func hostilePeers() throws {
        let harness = try PipelineHarness()
        let python = try #require(PipelineHarness.python, "the test venv is missing: run make test")
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_METRICS_PORT": "0", "NEWSFLOW_LIMITS_MAX_MESSAGE_BYTES": "1048576",
            "NEWSFLOW_LIMITS_MAX_ARTICLE_BYTES": "524288",
            "NEWSFLOW_FETCHER_WORKER_TIMEOUT_MS": "2000", "NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "3000",
        ])
        let port = try OperatingTests.port(harness)
        try harness.wait(seconds: 30, "ready") { (try? OperatingTests.get(port, "/readyz").0) == 200 }
        let pids = ["fetcher", "parser-1", "parser-2", "sink"].map { EndToEndTests.pid(of: $0, harness: harness) }

        let attacker = Process()
        attacker.executableURL = URL(fileURLWithPath: python)
        attacker.arguments = [PipelineHarness.packageRoot.appendingPathComponent("Tests/python/hostile.py").path,
                              harness.dataDir.appendingPathComponent("run").path, "8"]
        attacker.standardOutput = FileHandle.nullDevice
        try attacker.run()
        for index in 0..<1000 { try harness.drop(String(format: "v-%04d.txt", index), generatedArticle(700_000 + index)) }
        attacker.waitUntilExit()
        #expect(attacker.terminationStatus == 0)
        try harness.wait(seconds: 120, "all 1,000 valid articles") { Set(harness.ids(in: harness.out)).count >= 1000 }

        let after = ["fetcher", "parser-1", "parser-2", "sink"].map { EndToEndTests.pid(of: $0, harness: harness) }
        #expect(after == pids, "no role crashed or was restarted: \(harness.log.split(separator: "\n").filter { $0.contains("exited") || $0.contains("critical") })")
        Thread.sleep(forTimeInterval: 2)
        let (_, metrics) = try OperatingTests.get(port, "/metrics")
        let rejected = metrics.split(separator: "\n").filter { $0.hasPrefix("newsflow_messages_rejected_total{") }
        #expect(rejected.contains { $0.contains("role=\"fetcher\"") }, "the fetcher counted what it refused")
        #expect(rejected.contains { $0.contains("role=\"sink\"") }, "the sink counted what it refused")
        #expect(harness.ids(in: harness.out).count == 1000, "nothing forged reached out/")
        let verify = try harness.spawn(["verify"])
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0)
        #expect(try harness.stop() == 0)
    }
}
