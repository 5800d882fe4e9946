import ArgumentParser
import Foundation
import NewsModel
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// `newsflow bench pipeline`: the whole pipeline, producer to fsynced `out/`, as a user runs it.
///
/// A `newsflow run` is started with W workers over ipc or tcp and durability as configured by default.
/// This process is the producer: it submits generated articles of a given size through the fetcher's
/// `submit` endpoint (journaled before they are accepted), as fast as they are accepted or at a fixed
/// offered rate, and watches `out/` for each record. An article's latency runs from its submission to the
/// moment its line appears in `out/`: the sink writes lines only in the call that fsyncs them, right before
/// the fsync, so what is left out is that one fsync's duration.
struct BenchPipeline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Whole pipeline, submit to fsynced out/: articles/s, MB/s, latency p50/p99/p999, peak memory per role.")

    @Option(name: .long, help: "Articles to send.") var articles = 20_000
    @Option(name: .long, help: "Bytes per generated article.") var size = 2048
    @Option(name: .long, help: "Parser workers.") var workers = 2
    @Option(name: .long, help: "ipc or tcp (loopback).") var transport = "ipc"
    @Option(name: .long, help: "Offered articles per second; 0 sends as fast as the pipeline accepts (saturation).")
    var rate: Double = 0
    @Option(name: .long, help: "Journal durability (journal.fsync): always, interval or never.") var fsync = "interval"
    @Option(name: .long, help: "full (parse and enrich) or none (workers pass articles through with a minimal record: the plumbing alone).")
    var parse = "full"
    @Flag(name: .long, help: "One JSON object on stdout instead of a table.") var json = false

    func validate() throws {
        guard ["ipc", "tcp"].contains(transport) else { throw ValidationError("--transport is ipc or tcp") }
        guard ["full", "none"].contains(parse) else { throw ValidationError("--parse is full or none") }
        guard articles > 0, size >= 200, workers >= 1 else { throw ValidationError("--articles > 0, --size >= 200, --workers >= 1") }
    }

    func run() throws {
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-bench-\(getpid())")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let data = work.appendingPathComponent("data")
        let submit = try writeConfig(work: work, data: data)

        let pipeline = Process()
        pipeline.executableURL = URL(fileURLWithPath: BenchSupport.executable)
        pipeline.arguments = ["run", "--config", work.appendingPathComponent("newsflow.yaml").path]
        pipeline.standardOutput = FileHandle.nullDevice
        let log = work.appendingPathComponent("pipeline.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        pipeline.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
        try pipeline.run()
        defer {
            if pipeline.isRunning {
                kill(pipeline.processIdentifier, SIGTERM)
                pipeline.waitUntilExit()
            }
        }
        try waitForWorkers(data: data, pipeline: pipeline)

        let bodies = (0..<articles).map { BenchSupport.article(index: $0, size: size) }
        let totalBytes = bodies.reduce(0) { $0 + $1.count }
        let watcher = OutWatcher(folder: data.appendingPathComponent("out"), expected: articles)
        let cpuBefore = BenchSupport.cpuSeconds(of: pipeline.processIdentifier)
        watcher.start()
        let sentAt = try produce(bodies, endpoint: submit, watcher: watcher)
        let finished = watcher.wait(timeout: .seconds(Double(articles) / max(rate, 200) + 120))
        let memory = BenchSupport.peakMemory(of: pipeline.processIdentifier)
        let cpuAfter = BenchSupport.cpuSeconds(of: pipeline.processIdentifier)
        // CPU time per article of each role while the articles went through (from /proc, user + system).
        var cpu: [String: Double] = [:]
        for (role, after) in cpuAfter { cpu[role] = (after - (cpuBefore[role] ?? 0)) * 1e6 / Double(articles) }
        kill(pipeline.processIdentifier, SIGTERM)
        pipeline.waitUntilExit()
        guard finished else {
            throw BenchFailure(message: "only \(watcher.seenCount) of \(articles) records reached out/ in time; see the pipeline's log")
        }
        let seen = watcher.seenTimes()
        var latencies: [Double] = []
        latencies.reserveCapacity(articles)
        for index in 0..<articles {
            guard let sent = sentAt[index], let arrived = seen[index] else { continue }
            latencies.append((arrived - sent).seconds * 1000)
        }
        latencies.sort()
        let first = sentAt.values.min() ?? .now
        let last = seen.values.max() ?? .now
        let seconds = (last - first).seconds
        let report = Report(
            articles: articles, bytes: totalBytes, workers: workers, transport: transport,
            offeredRate: rate, seconds: seconds, articlesPerSecond: Double(articles) / seconds,
            mbPerSecond: Double(totalBytes) / seconds / 1_000_000,
            latencyMs: Report.Latency(
                p50: BenchSupport.quantile(latencies, 0.5), p99: BenchSupport.quantile(latencies, 0.99),
                p999: BenchSupport.quantile(latencies, 0.999), max: latencies.last ?? 0),
            peakMemoryMB: memory, cpuMicrosecondsPerArticle: cpu, fsync: fsync, parse: parse)
        if json {
            try BenchSupport.printJSON(report)
        } else {
            print(String(format: """
                pipeline: %d articles of %d bytes, %d workers over %@, journal.fsync %@, %@
                  throughput   %.0f articles/s, %.1f MB/s (%.2f s)
                  latency      p50 %.1f ms, p99 %.1f ms, p999 %.1f ms, max %.1f ms (submit to fsynced line)
                  peak memory  %@
                  CPU/article  %@ (µs, user + system)
                """, articles, size, workers, transport, fsync, rate > 0 ? "offered \(Int(rate))/s" : "saturation",
                report.articlesPerSecond, report.mbPerSecond, seconds, report.latencyMs.p50, report.latencyMs.p99,
                report.latencyMs.p999, report.latencyMs.max,
                memory.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value)) MB" }.joined(separator: ", "),
                cpu.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value.rounded()))" }.joined(separator: ", ")))
        }
    }

    struct Report: Encodable {
        struct Latency: Encodable {
            var p50: Double
            var p99: Double
            var p999: Double
            var max: Double
        }

        var articles: Int
        var bytes: Int
        var workers: Int
        var transport: String
        var offeredRate: Double
        var seconds: Double
        var articlesPerSecond: Double
        var mbPerSecond: Double
        var latencyMs: Latency
        var peakMemoryMB: [String: Double]
        var cpuMicrosecondsPerArticle: [String: Double]
        var fsync: String
        var parse: String

        enum CodingKeys: String, CodingKey {
            case articles, bytes, workers, transport, seconds, fsync, parse
            case cpuMicrosecondsPerArticle = "cpu_us_per_article"
            case offeredRate = "offered_rate"
            case articlesPerSecond = "articles_per_second"
            case mbPerSecond = "mb_per_second"
            case latencyMs = "latency_ms"
            case peakMemoryMB = "peak_memory_mb"
        }
    }

    /// The run's config: its own data folder, no drop folder, no metrics port; the submit endpoint returned.
    private func writeConfig(work: URL, data: URL) throws -> String {
        var lines = [
            "data_dir: \(data.path)", "parsers: \(workers)", "log:", "  level: error", "metrics:", "  port: -1",
            "fetcher:", "  inbox:", "    enabled: false", "journal:", "  fsync: \(fsync)",
            "parser:", "  passthrough: \(parse == "none")",
        ]
        let submit: String
        if transport == "tcp" {
            let ports = try BenchSupport.freePorts(5)
            let names = ["ingest", "submit", "dispatch", "results", "acks"]
            lines.append("endpoints:")
            for (name, port) in zip(names, ports) { lines.append("  \(name): tcp://127.0.0.1:\(port)") }
            submit = "tcp://127.0.0.1:\(ports[1])"
        } else {
            submit = "ipc://\(data.path)/run/submit.sock"
        }
        try (lines.joined(separator: "\n") + "\n").write(to: work.appendingPathComponent("newsflow.yaml"), atomically: true, encoding: .utf8)
        return submit
    }

    /// Waits until the fetcher reports every worker connected, so the clock does not include start-up.
    private func waitForWorkers(data: URL, pipeline: Process) throws {
        let status = data.appendingPathComponent("run/status-fetcher.json")
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard pipeline.isRunning else { throw BenchFailure(message: "the pipeline exited at start-up") }
            if let bytes = FileManager.default.contents(atPath: status.path),
               let fields = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any],
               let connected = fields["workers"] as? Int, connected >= workers
            {
                return
            }
            usleep(50_000)
        }
        throw BenchFailure(message: "workers did not connect within 60 s")
    }

    /// Submits every article (at most 1000 unaccepted, resent after 5 s), paced at `rate` when set; returns
    /// each article's first submission time.
    private func produce(_ bodies: [[UInt8]], endpoint: String, watcher: OutWatcher) throws -> [Int: ContinuousClock.Instant] {
        let zmq = try Context()
        let socket = try Socket(zmq, type: .dealer)
        try socket.setMaxMessageSize(1 << 20)
        try socket.connect(endpoint)
        defer { socket.close() }
        let clock = ContinuousClock()
        var sentAt: [Int: ContinuousClock.Instant] = [:]
        sentAt.reserveCapacity(bodies.count)
        var unaccepted: [Int: ContinuousClock.Instant] = [:]
        var next = 0
        let began = clock.now
        var nextResendCheck = began
        func send(_ index: Int) throws {
            let header = InjectHeader(
                source: SourceRef(kind: "zmq", uri: "bench"), name: "bench-\(index).txt", id: BenchSupport.id(index),
                ref: String(index))
            _ = try socket.send(WireCodec.encode(.inject(header, body: bodies[index])))
            let now = clock.now
            if sentAt[index] == nil { sentAt[index] = now }
            unaccepted[index] = now
        }
        while next < bodies.count || !unaccepted.isEmpty {
            let elapsed = (clock.now - began).seconds
            while next < bodies.count, unaccepted.count < 1000, rate <= 0 || Double(next) < elapsed * rate {
                try send(next)
                next += 1
            }
            let wait = rate > 0 && next < bodies.count ? 1 : 20
            if try socket.poll(.readable, timeoutMilliseconds: wait).contains(.readable) {
                while let frames = try socket.receive(dontWait: true) {
                    guard case .accepted(let acceptances) = try? WireCodec.decode(frames) else { continue }
                    for acceptance in acceptances { if let index = Int(acceptance.ref) { unaccepted[index] = nil } }
                }
            }
            // Resends are looked for ten times a second, not after every answer: the producer shares the
            // machine with the pipeline it measures.
            let now = clock.now
            if now >= nextResendCheck {
                nextResendCheck = now + .milliseconds(100)
                for (index, at) in unaccepted where now - at > .seconds(5) { try send(index) }
            }
        }
        return sentAt
    }
}
