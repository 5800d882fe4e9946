import Foundation
import NewsModel
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A small deterministic generator, so a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Chaos: SIGKILL any role at any moment", .tags(.endToEnd), .serialized)
struct ChaosTests {
    static let roles = ["fetcher", "parser-1", "parser-2", "sink"]

    /// Seeds and articles per seed: 1, 2, 3 and 20,000 unless `CHAOS_SEEDS` (`1-20` or `4,9`) and
    /// `CHAOS_ARTICLES` say otherwise (`make chaos` runs 20 seeds of 100,000; not NEWSFLOW_*, which newsflow
    /// itself would refuse as unknown configuration).
    static let seeds: [UInt64] = {
        let given = ProcessInfo.processInfo.environment["CHAOS_SEEDS"] ?? "1-3"
        return given.split(separator: ",").flatMap { part -> [UInt64] in
            let bounds = part.split(separator: "-").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard let first = bounds.first, let last = bounds.last, first <= last else { return [] }
            return Array(first...last)
        }
    }()
    static let articles = ProcessInfo.processInfo.environment["CHAOS_ARTICLES"].flatMap { Int($0) } ?? 20_000

    @Test("20,000 articles (or CHAOS_ARTICLES), a random role killed every 0.5–2 s: out/ ends with every id exactly once",
          arguments: ChaosTests.seeds)
    func chaos(seed: UInt64) throws {
        let harness = try PipelineHarness()
        let total = Self.articles
        var expected = Set<String>()
        for index in 0..<total {
            let bytes = generatedArticle(1_000_000 * Int(seed) + index)
            expected.insert(ArticleID(contentOf: bytes).description)
            try harness.drop(String(format: "c-%05d.txt", index), bytes)
        }
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "3000", "NEWSFLOW_FETCHER_WORKER_TIMEOUT_MS": "2000",
            "NEWSFLOW_FETCHER_HEARTBEAT_MS": "500", "NEWSFLOW_PARSER_HEARTBEAT_MS": "500",
            "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "100", "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MAX_MS": "500",
            // A smaller window keeps more of the run inside the kill loop.
            "NEWSFLOW_FETCHER_WINDOW": "200",
        ])
        var random = SplitMix64(state: seed)
        var kills: [String] = []
        // Kill until the run is through and at least eight kills happened (the pipeline may finish 20,000
        // articles in a few seconds), for at most 40 s, or a second per 500 articles for larger runs.
        let killingUntil = Date().addingTimeInterval(max(40, Double(total) / 500))
        while Date() < killingUntil, kills.count < 8 || Self.lines(in: harness.out) < total {
            Thread.sleep(forTimeInterval: Double.random(in: 0.5...2.0, using: &random))
            let role = Self.roles.randomElement(using: &random) ?? "sink"
            if let pid = EndToEndTests.pid(of: role, harness: harness) {
                kill(pid, SIGKILL)
                kills.append(role)
            }
        }
        try harness.wait(seconds: max(240, Double(total) / 100), "every article in out/ after \(kills.count) kills (\(kills))") {
            try Self.lines(in: harness.out) >= total && Self.uniqueIDs(harness).count >= total
        }
        Thread.sleep(forTimeInterval: 2)  // a late duplicate would land now
        let ids = harness.ids(in: harness.out)
        #expect(Set(ids) == expected, "seed \(seed): missing \(expected.subtracting(ids).count)")
        #expect(ids.count == Set(ids).count, "seed \(seed): \(ids.count - Set(ids).count) duplicate lines")
        #expect(try harness.records(in: harness.deadLetter).isEmpty)
        #expect(kills.count >= 8, "the test killed \(kills.count) times")
        #expect(try harness.stop() == 0)
        let verify = try harness.spawn(["verify"])
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0, "newsflow verify found problems; log:\n\(harness.log.suffix(3000))")
        // One line per seed, for `make chaos` to gather. Redelivered: recovered from the journal by a
        // restarted fetcher, or held by a worker that died, as the fetcher logged them.
        let redelivered = Self.logged("journal.unacknowledged", in: harness.log) + Self.logged("articles.held", in: harness.log)
        let byRole = Dictionary(grouping: kills) { $0.replacingOccurrences(of: #"-\d+$"#, with: "", options: .regularExpression) }
            .sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")
        let line = ("chaos seed \(seed): \(total) articles, \(kills.count) kills (\(byRole)), "
              + "\(redelivered) redelivered, \(ids.count) lines, \(expected.subtracting(ids).count) lost, "
              + "\(ids.count - Set(ids).count) duplicated, "
              + "verify \(verify.terminationStatus)\n")
        // Unbuffered, so it is seen at once through a pipe, even if a later seed hangs.
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// The sum of a count the log's JSON lines carry under `key` (`"key":"12"`).
    static func logged(_ key: String, in log: String) -> Int {
        let marker = "\"\(key)\":\""
        return log.components(separatedBy: marker).dropFirst().reduce(0) { sum, rest in
            sum + (Int(rest.prefix { $0.isNumber }) ?? 0)
        }
    }

    /// Lines in the files of `folder` whose names `include` takes (by default `*.jsonl`), counted with
    /// memchr: cheap enough to poll while 10^5 records pile up (reading their ids takes seconds in a debug
    /// build).
    static func lines(in folder: URL, include: (String) -> Bool = { $0.hasSuffix(".jsonl") }) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter(include).reduce(0) { count, name in
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data()
            return count + data.withUnsafeBytes { buffer -> Int in
                guard var cursor = buffer.baseAddress else { return 0 }
                let end = cursor + buffer.count
                var lines = 0
                while cursor < end, let found = memchr(cursor, Int32(UInt8(ascii: "\n")), end - cursor) {
                    lines += 1
                    cursor = UnsafeRawPointer(found) + 1
                }
                return lines
            }
        }
    }

    static func uniqueIDs(_ harness: PipelineHarness) throws -> Set<String> {
        Set(harness.ids(in: harness.out))
    }
}

@Suite("Journal redelivery", .tags(.endToEnd), .serialized)
struct JournalRedeliveryTests {
    @Test("articles injected over ZeroMQ survive a SIGKILLed fetcher: the journal redelivers them")
    func injectedSurviveFetcherKill() throws {
        let harness = try PipelineHarness()
        try #require(PipelineHarness.python != nil, "the test venv is missing: run make test")
        // A sink that takes its time, so articles are still outstanding when the fetcher dies.
        try harness.start(["run", "--parsers", "2"], environment: ["NEWSFLOW_SINK_FSYNC_MS": "400"])
        let socket = harness.dataDir.appendingPathComponent("run/ingest.sock")
        try harness.wait(seconds: 30, "the ingest socket") { FileManager.default.fileExists(atPath: socket.path) }
        let injected = try harness.python("Tests/python/inject.py", arguments: ["ipc://" + socket.path, "3000"])
        #expect(injected.status == 0, "\(injected.output)")
        try harness.wait(seconds: 30, "3,000 journaled articles") {
            Self.journalLines(harness) >= 3000
        }
        let fetcher = try #require(EndToEndTests.pid(of: "fetcher", harness: harness))
        kill(fetcher, SIGKILL)
        try harness.wait(seconds: 120, "all 3,000 injected articles in out/") {
            Set(harness.ids(in: harness.out)).count >= 3000
        }
        Thread.sleep(forTimeInterval: 1)
        let ids = harness.ids(in: harness.out)
        #expect(Set(ids).count == 3000)
        #expect(ids.count == Set(ids).count, "no duplicates")
        #expect(harness.log.contains("journal recovered unacknowledged articles"),
                "the kill left articles outstanding, and the restarted fetcher redelivered them from the journal")
        #expect(try harness.stop() == 0)
    }

    static func journalLines(_ harness: PipelineHarness) -> Int {
        ChaosTests.lines(in: harness.dataDir.appendingPathComponent("journal")) { $0.hasPrefix("segment-") }
    }
}

@Suite("Acknowledged submission", .tags(.endToEnd), .serialized)
struct SubmitTests {
    @Test("a pyzmq producer on the submit endpoint loses nothing while the fetcher is SIGKILLed twice")
    func submitSurvivesFetcherKills() throws {
        let harness = try PipelineHarness()
        let python = try #require(PipelineHarness.python, "the test venv is missing: run make test")
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "100", "NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "3000",
        ])
        let socket = harness.dataDir.appendingPathComponent("run/submit.sock")
        try harness.wait(seconds: 30, "the submit socket") { FileManager.default.fileExists(atPath: socket.path) }
        let producer = Process()
        producer.executableURL = URL(fileURLWithPath: python)
        producer.arguments = [PipelineHarness.packageRoot.appendingPathComponent("Tests/python/submit.py").path,
                              "ipc://" + socket.path, "8000", "7"]
        let output = Pipe()
        producer.standardOutput = output
        producer.standardError = output
        try producer.run()
        for _ in 0..<2 {
            try harness.wait(seconds: 60, "articles flowing") { harness.ids(in: harness.out).count >= 500 }
            Thread.sleep(forTimeInterval: 0.3)
            if let fetcher = EndToEndTests.pid(of: "fetcher", harness: harness) { kill(fetcher, SIGKILL) }
            Thread.sleep(forTimeInterval: 0.5)
        }
        try harness.wait(seconds: 240, "the producer to have every article accepted") { !producer.isRunning }
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(producer.terminationStatus == 0, "\(said)")
        try harness.wait(seconds: 120, "all 8,000 submitted articles in out/") {
            Set(harness.ids(in: harness.out)).count >= 8000
        }
        Thread.sleep(forTimeInterval: 1)
        let ids = harness.ids(in: harness.out)
        #expect(Set(ids).count == 8000)
        #expect(ids.count == 8000, "no duplicates, even for resent articles")
        #expect(try harness.stop() == 0)
    }
}
