import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Roles started and restarted in any order lose no acknowledgement: the sink keeps what no fetcher took
/// until one connects. An acknowledgement lost would leave its article unacknowledged for the whole
/// `fetcher.ack_timeout_ms` (30 s here) and then redelivered; so an article acknowledged within a second
/// of its record landing was acknowledged once and not redelivered.
@Suite("Start order: acknowledgements wait for a fetcher", .tags(.endToEnd), .serialized)
struct StartOrderTests {
    static let environment = ["NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "30000", "NEWSFLOW_METRICS_PORT": "-1"]

    /// Sequence numbers in the fetcher's journal `acked.log` (a number or a range `a-b` a line).
    static func acknowledged(_ harness: PipelineHarness) -> Set<UInt64> {
        let text = (try? String(contentsOf: harness.dataDir.appendingPathComponent("journal/acked.log"), encoding: .utf8)) ?? ""
        var seqs = Set<UInt64>()
        for line in text.split(separator: "\n") {
            let bounds = line.split(separator: "-").compactMap { UInt64($0) }
            guard let lower = bounds.first, let upper = bounds.last, lower <= upper else { continue }
            seqs.formUnion(lower...upper)
        }
        return seqs
    }

    /// Starts a role with its own log (`name`) and waits for the line that says it is up.
    static func start(_ harness: PipelineHarness, _ arguments: [String], name: String, until line: String) throws -> Process {
        let process = try harness.spawn(arguments, environment: environment, logName: name)
        try harness.wait(seconds: 60, "\(name) to start") { log(harness, name).contains(line) }
        return process
    }

    static func log(_ harness: PipelineHarness, _ name: String) -> String {
        (try? String(contentsOf: harness.dataDir.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    static func stop(_ harness: PipelineHarness, _ process: Process) throws {
        kill(process.processIdentifier, SIGTERM)
        try harness.wait(seconds: 30, "\(process.arguments?.first ?? "role") to stop") { !process.isRunning }
        #expect(process.terminationStatus == 0)
    }

    /// Drops `count` articles numbered from `first`.
    static func drop(_ harness: PipelineHarness, from first: Int, count: Int) throws {
        for index in first..<(first + count) {
            try harness.drop(String(format: "order-%04d.txt", index), generatedArticle(700_000 + index))
        }
    }

    /// Waits for `total` records, then expects every article acknowledged within a second of the last
    /// record landing, and each record written once.
    static func expectAcknowledged(_ harness: PipelineHarness, total: Int, _ order: String) throws {
        try harness.wait(seconds: 120, "\(total) records (\(order))") { Set(harness.ids(in: harness.out)).count >= total }
        let landed = ContinuousClock.now
        try harness.wait(seconds: 60, "\(total) acknowledgements (\(order))") { acknowledged(harness).count >= total }
        let took = ContinuousClock.now - landed
        #expect(took < .seconds(1), "\(order): the last articles were acknowledged \(took) after their records landed")
        #expect(harness.ids(in: harness.out).count == total, "\(order): each record written once")
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: harness.dataDir.path)) ?? []
        for name in logs where name.hasPrefix("sink-") {
            #expect(!log(harness, name).contains("acknowledgements no fetcher took"), "\(order): no acknowledgement given up")
        }
    }

    @Test("acknowledgements of records synced while no fetcher listens wait, and reach the fetcher once it binds (pyzmq)")
    func acknowledgementsWaitForAFetcher() throws {
        let harness = try PipelineHarness()
        let sink = try Self.start(harness, ["sink"], name: "sink.log", until: "sink started")
        defer { if sink.isRunning { kill(sink.processIdentifier, SIGKILL) } }
        let run = harness.dataDir.appendingPathComponent("run").path
        // 50 records pushed at once, then the acknowledgement socket bound 1.5 s later.
        let (status, output) = try harness.python("Tests/python/late_fetcher.py",
                                                  arguments: ["ipc://\(run)/results.sock", "ipc://\(run)/acks.sock", "50", "1.5"])
        #expect(status == 0, "late_fetcher.py: \(output)")
        let line = try #require(output.split(separator: "\n").last)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["acknowledged"] as? Int == 50, "every record acknowledged once the fetcher binds: \(report)")
        #expect(report["ids_match"] as? Bool == true)
        #expect(((report["seconds_after_bind"] as? Double) ?? 99) < 1, "acknowledged within a second of binding: \(report)")
        #expect(harness.ids(in: harness.out).count == 50)
        try Self.stop(harness, sink)
    }

    @Test("sink before fetcher, fetcher restarted under a running sink, sink restarted, fetcher before sink: the first articles are acknowledged at once")
    func everyOrder() throws {
        let harness = try PipelineHarness()
        var processes: [Process] = []
        defer {
            for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        // The sink first: its acknowledgements of the first articles find no fetcher bound yet.
        var sink = try Self.start(harness, ["sink"], name: "sink-1.log", until: "sink started")
        let parser = try Self.start(harness, ["parser", "--instance", "parser-a"], name: "parser.log", until: "parser worker started")
        processes += [sink, parser]
        try Self.drop(harness, from: 0, count: 20)
        var fetcher = try Self.start(harness, ["fetcher"], name: "fetcher-1.log", until: "fetcher started")
        processes.append(fetcher)
        try Self.expectAcknowledged(harness, total: 20, "sink before fetcher")

        // The fetcher restarted under the running sink: articles waiting in the inbox go at once.
        try Self.stop(harness, fetcher)
        try Self.drop(harness, from: 20, count: 20)
        fetcher = try Self.start(harness, ["fetcher"], name: "fetcher-2.log", until: "fetcher started")
        processes.append(fetcher)
        try Self.expectAcknowledged(harness, total: 40, "fetcher restarted under a running sink")

        // The sink restarted under the running fetcher.
        try Self.stop(harness, sink)
        try Self.drop(harness, from: 40, count: 20)
        sink = try Self.start(harness, ["sink"], name: "sink-2.log", until: "sink started")
        processes.append(sink)
        try Self.expectAcknowledged(harness, total: 60, "sink restarted")

        // The fetcher before the sink.
        try Self.stop(harness, fetcher)
        try Self.stop(harness, sink)
        try Self.drop(harness, from: 60, count: 20)
        fetcher = try Self.start(harness, ["fetcher"], name: "fetcher-3.log", until: "fetcher started")
        sink = try Self.start(harness, ["sink"], name: "sink-3.log", until: "sink started")
        processes += [fetcher, sink]
        try Self.expectAcknowledged(harness, total: 80, "fetcher before sink")

        for process in [fetcher, parser, sink] { try Self.stop(harness, process) }
    }
}
