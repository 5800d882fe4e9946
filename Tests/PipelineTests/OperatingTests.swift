import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Operating: metrics, readiness, status", .tags(.endToEnd), .serialized)
struct OperatingTests {
    static func get(_ port: Int, _ path: String) throws -> (Int, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let result = Mutex2<(Int, String)?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: url) { data, response, _ in
            let code = (response as? HTTPURLResponse)?.statusCode ?? -1
            result.set((code, String(decoding: data ?? Data(), as: UTF8.self)))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return result.get() ?? (-1, "")
    }

    static func port(_ harness: PipelineHarness) throws -> Int {
        var port = 0
        try harness.wait(seconds: 30, "the supervisor's port") {
            let text = try? String(contentsOf: harness.dataDir.appendingPathComponent("run/supervisor.port"), encoding: .utf8)
            port = Int(text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            return port > 0
        }
        return port
    }

    @Test("/metrics counts what was ingested, merged across roles, and promtool accepts it")
    func metrics() throws {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"], environment: ["NEWSFLOW_METRICS_PORT": "0"])
        let port = try Self.port(harness)
        for index in 0..<400 { try harness.drop(String(format: "m-%04d.txt", index), generatedArticle(300_000 + index)) }
        try harness.wait(seconds: 60, "400 records") { Set(harness.ids(in: harness.out)).count >= 400 }
        Thread.sleep(forTimeInterval: 2.5)  // the children export every second
        let (code, text) = try Self.get(port, "/metrics")
        #expect(code == 200)
        func value(_ pattern: String) -> Double {
            text.split(separator: "\n").filter { $0.hasPrefix("newsflow_articles_total{") && $0.contains(pattern) }
                .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
        }
        #expect(value(#"role="fetcher",instance="fetcher",stage="receiving",event="received""#) == 400)
        #expect(value(#"role="parser""#) > 0)
        #expect(value(#"role="sink",instance="sink",stage="sending",event="sent""#) == 400)
        #expect(text.components(separatedBy: "# TYPE newsflow_articles_total").count == 2, "one TYPE line per family")
        for family in ["newsflow_parse_seconds_bucket", "newsflow_sink_sync_seconds_bucket", "newsflow_in_flight",
                       "newsflow_lag_seconds", "newsflow_journal_bytes", "newsflow_workers_connected", "newsflow_bytes_received_total",
                       "newsflow_ready", "newsflow_pipeline_ready 1", "newsflow_child_up{role=\"sink\",instance=\"sink\"} 1",
                       "newsflow_disk_free_bytes{role=\"sink\",instance=\"sink\",folder=\"out\"}",
                       "newsflow_disk_size_bytes{role=\"fetcher\",instance=\"fetcher\",folder=\"journal\"}"] {
            #expect(text.contains(family), "\(family) is exported")
        }
        // Every metric the alerting rules in deploy/ read is one the pipeline exports.
        let rules = try String(contentsOf: PipelineHarness.packageRoot.appendingPathComponent("deploy/prometheus/newsflow-alerts.yml"),
                               encoding: .utf8)
        let names = Set(rules.matches(of: /newsflow_[a-z_]+/).map { String($0.output) })
        #expect(names.count >= 7)
        let missing = names.filter { !text.contains("\n\($0){") && !text.contains("\n\($0) ") }
        #expect(missing.isEmpty, "the alert rules read metrics /metrics lacks: \(missing.sorted())")
        let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
        #expect(promtool != nil, "promtool is missing: make test installs Debian's prometheus package")
        if let promtool {
            let file = harness.dataDir.appendingPathComponent("metrics.txt")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/bin/sh")
            check.arguments = ["-c", "\(promtool) check metrics < \(file.path)"]
            let pipe = Pipe()
            check.standardOutput = pipe
            check.standardError = pipe
            try check.run()
            let said = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "promtool: \(said)")
        }
        #expect(try Self.get(port, "/healthz").0 == 200)
        #expect(try harness.stop() == 0)
    }

    @Test("/readyz turns 503 when the sink is killed and 200 again once it is restarted; status shows the restart")
    func readiness() throws {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_METRICS_PORT": "0", "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "3000",
        ])
        let port = try Self.port(harness)
        try harness.wait(seconds: 30, "ready") { (try? Self.get(port, "/readyz").0) == 200 }
        let sink = try #require(EndToEndTests.pid(of: "sink", harness: harness))
        kill(sink, SIGKILL)
        try harness.wait(seconds: 10, "503 without a sink") { (try? Self.get(port, "/readyz")) .map { $0.0 == 503 && $0.1.contains("sink") } ?? false }
        try harness.wait(seconds: 30, "ready again") { (try? Self.get(port, "/readyz").0) == 200 }

        // Its own output file: the running pipeline writes to pipeline.log at its own offset.
        let status = try harness.spawn(["status"], logName: "status.log")
        try harness.wait(seconds: 20, "status") { !status.isRunning }
        #expect(status.terminationStatus == 0)
        let output = try String(contentsOf: harness.dataDir.appendingPathComponent("status.log"), encoding: .utf8)
        let lines = output.split(separator: "\n")
        let header = try #require(lines.last { $0.hasPrefix("ROLE") })
        #expect(header.contains("INSTANCE") && header.contains("RESTARTS") && header.contains("OUT/S"))
        let sinkRow = try #require(lines.last { $0.hasPrefix("sink ") })
        let cells = sinkRow.split(separator: " ")
        #expect(cells.count == 8 && cells[3] == "running" && cells[5] == "1", "sink restarted once: \(sinkRow)")
        #expect(lines.contains { $0.hasPrefix("in flight") && $0.contains("ready") })
        #expect(header.count <= 80 && sinkRow.count <= 80, "the table fits a terminal")
        #expect(try harness.stop() == 0)
    }
}

@Suite("Logs", .tags(.endToEnd))
struct LogFormatTests {
    @Test("with --log-format json every line of every role is one JSON object carrying role and instance")
    func jsonLines() throws {
        let harness = try PipelineHarness()
        for index in 0..<20 { try harness.drop("j-\(index).txt", generatedArticle(400_000 + index)) }
        try harness.drop("empty.txt", [])
        try harness.start(["run", "--parsers", "2", "--exit-when-drained", "--log-format", "json"],
                          environment: ["NEWSFLOW_METRICS_PORT": "-1"])
        #expect(try harness.waitForExit(seconds: 60) == 0)
        let lines = harness.log.split(separator: "\n")
        #expect(lines.count > 10)
        var roles = Set<String>()
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not JSON: \(line)")
            #expect(object?["instance"] is String && object?["message"] is String && object?["level"] is String, "\(line)")
            if let role = object?["role"] as? String { roles.insert(role) }
        }
        #expect(roles == ["supervisor", "fetcher", "parser", "sink"])
    }
}

/// A tiny lock-protected box for results handed over from URLSession's queue.
final class Mutex2<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func set(_ new: Value) { lock.lock(); value = new; lock.unlock() }
    func get() -> Value { lock.lock(); defer { lock.unlock() }; return value }
}

@Suite("Reload", .tags(.endToEnd), .serialized)
struct ReloadTests {
    @Test("SIGHUP scales parser workers up and down without losing work, and refuses what cannot change live")
    func reload() throws {
        let harness = try PipelineHarness()
        let config = harness.dataDir.appendingPathComponent("newsflow.yaml")
        func write(parsers: Int, fsync: String, level: String) throws {
            try "parsers: \(parsers)\nlog:\n  level: \(level)\njournal:\n  fsync: \(fsync)\nmetrics:\n  port: -1\n"
                .write(to: config, atomically: true, encoding: .utf8)
        }
        try write(parsers: 2, fsync: "interval", level: "info")
        try harness.start(["run", "--config", config.path])
        try harness.wait(seconds: 30, "two workers") { EndToEndTests.pid(of: "parser-2", harness: harness) != nil }
        let supervisor = try #require(harness.process?.processIdentifier)

        try write(parsers: 3, fsync: "always", level: "debug")
        kill(supervisor, SIGHUP)
        try harness.wait(seconds: 30, "a third worker") { EndToEndTests.pid(of: "parser-3", harness: harness) != nil }
        try harness.wait(seconds: 10, "the refusal") { harness.log.contains("cannot change while running") }
        #expect(harness.log.contains("journal.fsync"), "the refused key is named")
        #expect(harness.log.contains("log level changed"))
        for index in 0..<600 { try harness.drop(String(format: "h-%04d.txt", index), generatedArticle(500_000 + index)) }
        try harness.wait(seconds: 60, "600 records with three workers") { Set(harness.ids(in: harness.out)).count >= 600 }

        try write(parsers: 1, fsync: "always", level: "debug")
        kill(supervisor, SIGHUP)
        try harness.wait(seconds: 30, "workers 2 and 3 to stop") {
            EndToEndTests.pid(of: "parser-2", harness: harness) == nil && EndToEndTests.pid(of: "parser-3", harness: harness) == nil
        }
        Thread.sleep(forTimeInterval: 1)
        #expect(EndToEndTests.pid(of: "parser-1", harness: harness) != nil)
        let restartedRetired = harness.log.split(separator: "\n").contains { line in
            line.contains("child exited unexpectedly") && (line.contains("parser-2") || line.contains("parser-3"))
        }
        #expect(!restartedRetired, "workers scaled away are not restarted")
        for index in 0..<300 { try harness.drop(String(format: "h2-%04d.txt", index), generatedArticle(600_000 + index)) }
        try harness.wait(seconds: 60, "300 more with one worker") { Set(harness.ids(in: harness.out)).count >= 900 }
        #expect(harness.ids(in: harness.out).count == 900, "nothing lost or duplicated across scaling")
        #expect(try harness.stop() == 0)
    }

    @Test("newsflow scale parsers=N changes the running worker count without losing work; the config stays the lasting setting")
    func scaleCommand() throws {
        let harness = try PipelineHarness()
        let config = harness.dataDir.appendingPathComponent("newsflow.yaml")
        try "parsers: 1\nmetrics:\n  port: -1\n".write(to: config, atomically: true, encoding: .utf8)
        try harness.start(["run", "--config", config.path])
        try harness.wait(seconds: 30, "one worker") { EndToEndTests.pid(of: "parser-1", harness: harness) != nil }
        func scale(_ count: Int) throws -> Int32 {
            let process = try harness.spawn(["scale", "parsers=\(count)", "--config", config.path])
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try scale(3) == 0)
        try harness.wait(seconds: 30, "three workers") { EndToEndTests.pid(of: "parser-3", harness: harness) != nil }
        for index in 0..<300 { try harness.drop(String(format: "s-%04d.txt", index), generatedArticle(700_000 + index)) }
        try harness.wait(seconds: 60, "300 records") { Set(harness.ids(in: harness.out)).count >= 300 }
        #expect(try scale(1) == 0)
        try harness.wait(seconds: 30, "back to one worker") {
            EndToEndTests.pid(of: "parser-2", harness: harness) == nil && EndToEndTests.pid(of: "parser-3", harness: harness) == nil
        }
        #expect(try scale(0) != 0, "0 workers is refused")
        for index in 0..<100 { try harness.drop(String(format: "t-%04d.txt", index), generatedArticle(800_000 + index)) }
        try harness.wait(seconds: 60, "100 more") { Set(harness.ids(in: harness.out)).count >= 400 }
        #expect(harness.ids(in: harness.out).count == 400, "nothing lost or duplicated across scaling")
        #expect(harness.log.contains("scale requested"))
        #expect(try harness.stop() == 0)
    }
}
