import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Delivery under faults", .tags(.endToEnd), .serialized)
struct DeliveryTests {
    @Test("an article that kills its worker every time is dead-lettered after max_attempts while the rest flow")
    func poison() throws {
        let harness = try PipelineHarness()
        for index in 0..<300 { try harness.drop(String(format: "p-%04d.txt", index), generatedArticle(50_000 + index)) }
        try harness.drop("poison.txt", Array("Poison pill\n\nThis article carries the marker KILL-THE-WORKER inside.".utf8))
        try harness.start(["run", "--parsers", "2", "--exit-when-drained"], environment: [
            "NEWSFLOW_PARSER_FAULT_CRASH_ON": "KILL-THE-WORKER", "NEWSFLOW_FETCHER_MAX_ATTEMPTS": "3",
            "NEWSFLOW_FETCHER_WORKER_TIMEOUT_MS": "1500", "NEWSFLOW_FETCHER_HEARTBEAT_MS": "300",
            "NEWSFLOW_PARSER_HEARTBEAT_MS": "300", "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "100",
        ])
        #expect(try harness.waitForExit(seconds: 120) == 0)
        #expect(Set(harness.ids(in: harness.out)).count == 300)
        let dead = try harness.records(in: harness.deadLetter)
        #expect(dead.count == 1)
        let line = try #require(dead.first)
        #expect(line["name"] as? String == "poison.txt")
        #expect((line["reason"] as? String)?.contains("gave up after 3 attempts") == true)
        #expect((line["raw"] as? String)?.contains("KILL-THE-WORKER") == true, "the raw input is kept")
        #expect(harness.log.components(separatedBy: "fault injection: crashing").count - 1 == 3, "exactly three attempts")
    }

    @Test("a stalled sink holds the pipeline back with bounded fetcher memory; nothing is lost when it resumes")
    func stalledSink() throws {
        let harness = try PipelineHarness()
        try #require(PipelineHarness.python != nil, "the test venv is missing: run make test")
        try harness.start(["run", "--parsers", "2"], environment: ["NEWSFLOW_FETCHER_WINDOW": "500"])
        let socket = harness.dataDir.appendingPathComponent("run/ingest.sock")
        try harness.wait(seconds: 30, "the ingest socket") { FileManager.default.fileExists(atPath: socket.path) }
        let sink = try #require(EndToEndTests.pid(of: "sink", harness: harness))
        kill(sink, SIGSTOP)
        // The producer runs in the background: with the sink stopped it must block, not buffer without end.
        let producer = Process()
        producer.executableURL = URL(fileURLWithPath: try #require(PipelineHarness.python))
        producer.arguments = [PipelineHarness.packageRoot.appendingPathComponent("Tests/python/inject.py").path,
                              "ipc://" + socket.path, "20000"]
        producer.standardOutput = FileHandle.nullDevice
        try producer.run()
        Thread.sleep(forTimeInterval: 8)
        let fetcher = try #require(EndToEndTests.pid(of: "fetcher", harness: harness))
        let residentMB = Self.residentMegabytes(fetcher)
        let outstanding = JournalRedeliveryTests.journalLines(harness)
        #expect(outstanding < 20_000, "sources paused: \(outstanding) journaled while the sink is stopped")
        #expect(residentMB < 150, "fetcher resident memory \(residentMB) MB with a stalled sink")
        kill(sink, SIGCONT)
        try harness.wait(seconds: 240, "all 20,000 articles after the sink resumes") {
            Set(harness.ids(in: harness.out)).count >= 20_000
        }
        producer.waitUntilExit()
        #expect(producer.terminationStatus == 0)
        #expect(harness.ids(in: harness.out).count == 20_000, "no duplicates")
        #expect(try harness.stop() == 0)
    }

    @Test("a stalled worker holds only its credit; the other worker takes the rest and its articles are redelivered")
    func stalledWorker() throws {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_FETCHER_WORKER_TIMEOUT_MS": "2000", "NEWSFLOW_FETCHER_HEARTBEAT_MS": "500",
            "NEWSFLOW_PARSER_HEARTBEAT_MS": "500",
        ])
        try harness.wait(seconds: 30, "two workers") {
            EndToEndTests.pid(of: "parser-1", harness: harness) != nil
                && harness.log.components(separatedBy: "worker joined").count > 2
        }
        let stalled = try #require(EndToEndTests.pid(of: "parser-1", harness: harness))
        kill(stalled, SIGSTOP)
        defer { kill(stalled, SIGCONT) }
        for index in 0..<3000 { try harness.drop(String(format: "w-%05d.txt", index), generatedArticle(120_000 + index)) }
        try harness.wait(seconds: 120, "all 3,000 articles while parser-1 is stopped") {
            Set(harness.ids(in: harness.out)).count >= 3000
        }
        let workers = Set(try harness.records(in: harness.out).compactMap { ($0["parser"] as? [String: Any])?["worker"] as? String })
        #expect(workers == ["parser-2"], "the stalled worker produced nothing")
        kill(stalled, SIGCONT)
        Thread.sleep(forTimeInterval: 1)
        #expect(harness.ids(in: harness.out).count == 3000, "no duplicates when the stalled worker wakes up")
        #expect(try harness.stop() == 0)
    }

    @Test("a worker busy with one long article keeps heartbeating: it is not dropped, and the article is parsed once")
    func busyWorkerHeartbeats() throws {
        let harness = try PipelineHarness()
        // A worker timeout far shorter than the parse (over a second for these 7 MB, even in a release
        // build): a worker that went silent while parsing would be dropped, its article given again.
        try harness.start(["run", "--parsers", "1"], environment: [
            "NEWSFLOW_FETCHER_WORKER_TIMEOUT_MS": "600", "NEWSFLOW_PARSER_HEARTBEAT_MS": "100",
            "NEWSFLOW_FETCHER_HEARTBEAT_MS": "100", "NEWSFLOW_LIMITS_PARSE_BUDGET_MS": "0",
        ])
        try harness.wait(seconds: 30, "the worker") { harness.log.contains("worker joined") }
        // Names never seen twice: each is a new form for the entity model, the slowest kind of text.
        var long = Array("A very long dispatch\n\n".utf8)
        var sentence = 0
        while long.count < 7_000_000 {
            long += Array("Officials from Kaltor\(sentence)vik met Brunel\(sentence * 7)sen in Marost\(sentence * 13) on Tuesday and said prices would rise. ".utf8)
            sentence += 1
            if sentence % 12 == 0 { long += Array("\n\n".utf8) }
        }
        try harness.drop("long.txt", long)
        for index in 0..<20 { try harness.drop(String(format: "short-%02d.txt", index), generatedArticle(130_000 + index)) }
        try harness.wait(seconds: 120, "the long article and 20 short ones") { Set(harness.ids(in: harness.out)).count >= 21 }
        Thread.sleep(forTimeInterval: 1)
        #expect(!harness.log.contains("worker stopped answering"), "the busy worker was taken for cut off")
        let ids = harness.ids(in: harness.out)
        #expect(ids.count == 21 && Set(ids).count == 21, "\(ids.count) records, \(Set(ids).count) distinct")
        #expect(try harness.stop() == 0)
    }

    @Test("output rotates by size into files whose names sort by time and never collide")
    func rotation() throws {
        let harness = try PipelineHarness()
        for index in 0..<600 { try harness.drop(String(format: "r-%04d.txt", index), generatedArticle(90_000 + index)) }
        try harness.start(["run", "--parsers", "2", "--exit-when-drained"], environment: [
            "NEWSFLOW_SINK_ROTATE_BYTES": "50000", "NEWSFLOW_SINK_FSYNC_EVERY": "50",
        ])
        #expect(try harness.waitForExit(seconds: 120) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: harness.out.path).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count >= 10, "\(files.count) files")
        #expect(files.allSatisfy { $0.hasPrefix("part-") })
        let ids = harness.ids(in: harness.out)
        #expect(ids.count == 600 && Set(ids).count == 600)
        // A file is below the limit at one sync and takes at most `fsync_every` (50) more lines before the
        // next, where it rotates: it never holds more than that past the limit.
        var longest = 0
        for name in files {
            let data = try Data(contentsOf: harness.out.appendingPathComponent(name))
            for line in data.split(separator: UInt8(ascii: "\n")) { longest = max(longest, line.count + 1) }
        }
        for name in files {
            let size = (try FileManager.default.attributesOfItem(atPath: harness.out.appendingPathComponent(name).path)[.size] as? Int) ?? 0
            #expect(size < 50_000 + 50 * longest,
                    "\(name) is \(size) bytes (lines up to \(longest)): rotation happens at the first sync past the limit")
        }
    }

    @Test("with sink.compress, closed files become .jsonl.gz that gzip reads; verify and restarts read them too")
    func compression() throws {
        let harness = try PipelineHarness()
        for index in 0..<600 { try harness.drop(String(format: "z-%04d.txt", index), generatedArticle(95_000 + index)) }
        let environment = ["NEWSFLOW_SINK_ROTATE_BYTES": "50000", "NEWSFLOW_SINK_FSYNC_EVERY": "50",
                           "NEWSFLOW_SINK_COMPRESS": "true"]
        try harness.start(["run", "--parsers", "2", "--exit-when-drained"], environment: environment)
        #expect(try harness.waitForExit(seconds: 120) == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: harness.out.path)
        #expect(files.filter { $0.hasSuffix(".jsonl.gz") }.count >= 5)
        #expect(files.filter { $0.hasSuffix(".tmp") }.isEmpty)
        #expect(harness.ids(in: harness.out).count == 600)
        // The same articles again: a restarted sink knows their ids from the compressed files.
        for index in 0..<600 { try harness.drop(String(format: "z2-%04d.txt", index), generatedArticle(95_000 + index)) }
        try harness.start(["run", "--parsers", "2", "--exit-when-drained"], environment: environment)
        #expect(try harness.waitForExit(seconds: 120) == 0)
        #expect(harness.ids(in: harness.out).count == 600, "no duplicates across restarts with compressed output")
        let after = try FileManager.default.contentsOfDirectory(atPath: harness.out.path)
        #expect(after.filter { $0.hasSuffix(".jsonl") }.count <= 1, "the previous run's last file was compressed at start")
        let verify = try harness.spawn(["verify"])
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0)
    }

    static func residentMegabytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return -1 }
        return kilobytes / 1024
    }
}

@Suite("Disk full", .tags(.endToEnd), .serialized, .enabled(if: getuid() == 0, "needs root to mount a tmpfs"))
struct DiskFullTests {
    @Test("out/ on a full tmpfs: the sink pauses in place, /readyz says why; once space is freed, the run completes")
    func diskFull() throws {
        let harness = try PipelineHarness()
        let out = harness.out
        let filler = try Self.nearlyFullTmpfs(at: out)
        defer { _ = try? Self.run("/bin/umount", ["-l", out.path]) }
        for index in 0..<2000 { try harness.drop(String(format: "d-%05d.txt", index), generatedArticle(70_000 + index)) }
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "100", "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MAX_MS": "1000",
            "NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "3000", "NEWSFLOW_METRICS_PORT": "0",
        ])
        let port = try OperatingTests.port(harness)
        try harness.wait(seconds: 60, "the sink to report the full disk") {
            harness.log.contains("cannot write output; pausing")
        }
        let before = Set(harness.ids(in: out)).count
        #expect(before < 2000, "the disk filled before the run could finish (\(before) written)")
        // Paused, not restarting: the pipeline says why it is not ready.
        var readiness = (0, "")
        try harness.wait(seconds: 10, "/readyz to give the reason") {
            readiness = try OperatingTests.get(port, "/readyz")
            return readiness.0 == 503 && readiness.1.contains("the sink cannot write out/")
        }
        Thread.sleep(forTimeInterval: 2)
        #expect(!harness.log.contains("child exited unexpectedly"), "every role stays up on a full disk")
        try FileManager.default.removeItem(at: filler)
        try harness.wait(seconds: 10, "the sink to resume") { harness.log.contains("output is writable again; resuming") }
        try harness.wait(seconds: 180, "all 2,000 articles once space is back") {
            Set(harness.ids(in: out)).count >= 2000
        }
        Thread.sleep(forTimeInterval: 1)
        let ids = harness.ids(in: out)
        #expect(ids.count == 2000, "every article exactly once: \(ids.count) lines")
        #expect(try OperatingTests.get(port, "/readyz").0 == 200)
        #expect(try harness.stop() == 0)
        let verify = try harness.spawn(["verify"])
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0)
    }

    @Test("journal/ on a full tmpfs: the fetcher pauses in place, refuses submissions with the reason, and resumes")
    func journalFull() throws {
        let harness = try PipelineHarness()
        let journal = harness.dataDir.appendingPathComponent("journal")
        let filler = try Self.nearlyFullTmpfs(at: journal)
        defer { _ = try? Self.run("/bin/umount", ["-l", journal.path]) }
        for index in 0..<2000 { try harness.drop(String(format: "j-%05d.txt", index), generatedArticle(90_000 + index)) }
        try harness.start(["run", "--parsers", "2"], environment: ["NEWSFLOW_METRICS_PORT": "0"])
        let port = try OperatingTests.port(harness)
        try harness.wait(seconds: 60, "the fetcher to report the full journal") {
            harness.log.contains("cannot write the journal; pausing")
        }
        var readiness = (0, "")
        try harness.wait(seconds: 10, "/readyz to give the reason") {
            readiness = try OperatingTests.get(port, "/readyz")
            return readiness.0 == 503 && readiness.1.contains("the journal is not writable")
        }
        // A producer on submit is told, not left waiting.
        let submit = "ipc://\(harness.dataDir.path)/run/submit.sock"
        let (status, output) = try harness.python("Tests/python/submit_refused.py", arguments: [submit, "5"])
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").last)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(report["refused"] as? Int == 5, "\(report)")
        #expect((report["reason"] as? String)?.contains("journal") == true, "\(report)")
        #expect(!harness.log.contains("child exited unexpectedly"), "every role stays up on a full journal disk")
        try FileManager.default.removeItem(at: filler)
        try harness.wait(seconds: 10, "the fetcher to resume") { harness.log.contains("the journal is writable again") }
        try harness.wait(seconds: 180, "all 2,000 articles once space is back") { Set(harness.ids(in: harness.out)).count >= 2000 }
        Thread.sleep(forTimeInterval: 1)
        let ids = harness.ids(in: harness.out)
        #expect(ids.count == 2000, "every article exactly once: \(ids.count) lines")
        #expect(try harness.stop() == 0)
        let verify = try harness.spawn(["verify"])
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0)
    }

    /// Mounts a 6 MB tmpfs at `folder` and fills all but 400 KB of it; returns the filler file, whose
    /// removal gives the space back. The caller unmounts.
    static func nearlyFullTmpfs(at folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try run("/bin/mount", ["-t", "tmpfs", "-o", "size=6m", "tmpfs", folder.path])
        let filler = folder.appendingPathComponent("filler.bin")
        try Data(count: 5_600_000).write(to: filler)
        return filler
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw HarnessError("\(tool) \(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
        return process.terminationStatus
    }
}
