import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Generated articles in the seed format, each different so each has its own id.
func generatedArticle(_ index: Int) -> [UInt8] {
    let day = index % 28 + 1
    let cities = [("Nairobi", "Kenya"), ("Oslo", "Norway"), ("Lima", "Peru"), ("Hanoi", "Vietnam"), ("Accra", "Ghana")]
    let (city, country) = cities[index % cities.count]
    let text = """
         date 2024-03-\(day < 10 ? "0" : "")\(day) Generated story number \(index)

        \(city), \(country), March \(day)

        Officials in \(city) said on Tuesday that project \(index) would start next month, the ministry said.

        The plan covers \(index % 97 + 3) districts and was approved after a long debate in parliament.
        """
    return Array(text.utf8)
}

@Suite("Pipeline end to end", .tags(.endToEnd), .serialized)
struct EndToEndTests {
    @Test("2,000 articles and the seed through run with 2 workers: each once in out/, clean SIGTERM")
    func wholePipeline() throws {
        let harness = try PipelineHarness()
        let seedURL = PipelineHarness.shared.appendingPathComponent("seeds/000_87078c263ab8fd8c.txt")
        try #require(FileManager.default.fileExists(atPath: seedURL.path), "the shared seed is missing: \(seedURL.path)")
        try harness.start(["run", "--parsers", "2"])
        for index in 0..<2000 { try harness.drop(String(format: "gen-%05d.txt", index), generatedArticle(index)) }
        try harness.drop("000_87078c263ab8fd8c.txt", Array(try Data(contentsOf: seedURL)))

        try harness.wait(seconds: 240, "2,001 records in out/") { try harness.records(in: harness.out).count >= 2001 }
        Thread.sleep(forTimeInterval: 1)  // anything extra (a duplicate) would show up now
        let records = try harness.records(in: harness.out)
        let ids = records.compactMap { $0["id"] as? String }
        #expect(records.count == 2001)
        #expect(Set(ids).count == 2001, "every article exactly once")
        #expect(try harness.records(in: harness.deadLetter).isEmpty)

        let seed = try #require(records.first { ($0["source"] as? [String: Any])?["uri"] as? String == harness.inbox.appendingPathComponent("000_87078c263ab8fd8c.txt").path })
        #expect(seed["title"] as? String == "Azerbaijani FM meets OSCE secretary general")
        #expect(seed["published"] as? String == "2017-09-23")
        let dateline = try #require(seed["dateline"] as? [String: Any])
        #expect(dateline["city"] as? String == "Baku")
        #expect(dateline["country"] as? String == "Azerbaijan")
        let workers = Set(records.compactMap { ($0["parser"] as? [String: Any])?["worker"] as? String })
        #expect(workers == ["parser-1", "parser-2"], "both workers took part")

        let started = Date()
        #expect(try harness.stop(signal: SIGTERM, seconds: 20) == 0)
        #expect(Date().timeIntervalSince(started) < 10, "SIGTERM drains within a few seconds")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(harness.processesUsingDataDir().isEmpty, "no child left behind")
    }

    @Test("a parser worker killed with SIGKILL is restarted, and its articles are redelivered")
    func workerKilled() throws {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"], environment: ["NEWSFLOW_FETCHER_ACK_TIMEOUT_MS": "3000"])
        let total = 1500
        for index in 0..<total { try harness.drop(String(format: "k-%05d.txt", index), generatedArticle(10_000 + index)) }
        try harness.wait(seconds: 60, "the first records") { try harness.records(in: harness.out).count >= 50 }

        let victim = try #require(Self.pid(of: "parser-1", harness: harness), "parser-1 is running")
        kill(victim, SIGKILL)
        try harness.wait(seconds: 30, "parser-1 to be restarted") {
            if let pid = Self.pid(of: "parser-1", harness: harness) { return pid != victim }
            return false
        }
        try harness.wait(seconds: 180, "all \(total) records") { try harness.records(in: harness.out).count >= total }
        Thread.sleep(forTimeInterval: 1)
        let ids = try harness.records(in: harness.out).compactMap { $0["id"] as? String }
        let lost = total - Set(ids).count
        #expect(lost == 0, "articles the killed worker held are redelivered; lost: \(lost)")
        #expect(ids.count == Set(ids).count, "no duplicates in out/")
        #expect(harness.log.contains("child exited unexpectedly; restarting"))
        #expect(try harness.stop() == 0)
    }

    @Test("empty, binary and non-UTF-8 files each end as a record or a dead-letter line with a reason")
    func badInput() throws {
        let harness = try PipelineHarness()
        try harness.drop("empty.txt", [])
        var binary: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0]
        for index in 0..<4096 { binary.append(UInt8(truncatingIfNeeded: index &* 31 &+ 7)) }
        try harness.drop("program.bin", binary)
        try harness.drop("latin1.txt", Array("Caf".utf8) + [0xE9] + Array(" society meets\n\nMembers gathered.".utf8))
        try harness.drop("fine.txt", generatedArticle(1))
        try harness.start(["run", "--parsers", "1", "--exit-when-drained"])
        #expect(try harness.waitForExit(seconds: 90) == 0)

        let records = try harness.records(in: harness.out)
        let dead = try harness.records(in: harness.deadLetter)
        func name(_ object: [String: Any]) -> String? {
            ((object["source"] as? [String: Any])?["uri"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent }
        }
        #expect(Set(records.compactMap(name)) == ["latin1.txt", "fine.txt"])
        #expect(Set(dead.compactMap { $0["name"] as? String }) == ["empty.txt", "program.bin"])
        for line in dead {
            let reason = try #require(line["reason"] as? String)
            #expect(!reason.isEmpty)
        }
        let latin = try #require(records.first { name($0) == "latin1.txt" })
        #expect(latin["title"] as? String == "Café society meets")
        #expect((latin["warnings"] as? [String])?.first?.contains("windows-1252") == true)
        #expect(dead.first { $0["name"] as? String == "program.bin" }?["raw_base64"] != nil)
    }

    @Test("a pyzmq producer injects raw articles that come out in out/, valid against the JSON Schema")
    func pyzmqProducer() throws {
        let harness = try PipelineHarness()
        try #require(PipelineHarness.python != nil, "the test venv (.venv with pyzmq and jsonschema) is missing: run make test")
        try harness.start(["run", "--parsers", "2"])
        let endpoint = "ipc://" + harness.dataDir.appendingPathComponent("run/ingest.sock").path
        try harness.wait(seconds: 30, "the ingest socket") {
            FileManager.default.fileExists(atPath: harness.dataDir.appendingPathComponent("run/ingest.sock").path)
        }
        let injected = try harness.python("Tests/python/inject.py", arguments: [endpoint, "200"])
        #expect(injected.status == 0, "\(injected.output)")
        try harness.wait(seconds: 60, "200 injected records") {
            try harness.records(in: harness.out).filter { ($0["source"] as? [String: Any])?["kind"] as? String == "zmq" }.count >= 200
        }
        try harness.drop("seed.txt", generatedArticle(7))
        try harness.wait(seconds: 30, "the dropped record") { try harness.records(in: harness.out).count >= 201 }
        #expect(try harness.stop() == 0)
        let schema = PipelineHarness.packageRoot.appendingPathComponent("schema/article.schema.json").path
        let validated = try harness.python("Tests/python/validate_records.py", arguments: [schema, harness.out.path])
        #expect(validated.status == 0, "\(validated.output)")
        #expect(validated.output.contains("201 records valid"))
    }

    static func pid(of instance: String, harness: PipelineHarness) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for pid in entries.compactMap({ Int32($0) }) {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if arguments.contains(instance), arguments.contains(harness.dataDir.path) { return pid }
        }
        return nil
    }
}
