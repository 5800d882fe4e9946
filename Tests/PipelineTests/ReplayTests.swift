import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Replay of stored streams", .tags(.endToEnd), .serialized)
struct ReplayTests {
    /// The fields of a record that describe the run rather than the article, and so may differ in a replay.
    static let runFields: Set<String> = ["source", "seq", "parser"]

    /// One harness with 5,000 articles ingested live, shared by the tests below.
    static func ingested() throws -> PipelineHarness {
        let harness = try PipelineHarness()
        for index in 0..<5000 { try harness.drop(String(format: "live-%05d.txt", index), generatedArticle(200_000 + index)) }
        try harness.start(["run", "--parsers", "2", "--exit-when-drained"])
        #expect(try harness.waitForExit(seconds: 180) == 0)
        #expect(Set(harness.ids(in: harness.out)).count == 5000)
        return harness
    }

    static func byID(_ records: [[String: Any]]) -> [String: [String: Any]] {
        Dictionary(records.compactMap { record in (record["id"] as? String).map { ($0, record) } }, uniquingKeysWith: { a, _ in a })
    }

    /// Replays `sources` into a fresh folder and returns it with its exit status.
    static func replay(_ sources: [String], extra: [String] = [], into folder: URL? = nil) throws -> (URL, Int32, String) {
        let target = folder ?? URL(fileURLWithPath: "/tmp/nf-replay-\(UUID().uuidString.prefix(8))")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        process.arguments = ["replay"] + sources + ["--to", target.path, "--parsers", "2"] + extra
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (target, process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    static func differingFields(_ live: [String: [String: Any]], _ replayed: [String: [String: Any]]) -> Set<String> {
        var fields = Set<String>()
        for (id, record) in live {
            guard let other = replayed[id] else { continue }
            for key in Set(record.keys).union(other.keys) {
                let a = record[key].map { try? JSONSerialization.data(withJSONObject: ["v": $0], options: [.sortedKeys]) }
                let b = other[key].map { try? JSONSerialization.data(withJSONObject: ["v": $0], options: [.sortedKeys]) }
                if a != b { fields.insert(key) }
            }
        }
        return fields
    }

    @Test("replaying the journal and replaying out/: same ids, same records but for the run's own fields")
    func journalAndOutput() throws {
        let harness = try Self.ingested()
        let live = Self.byID(try harness.records(in: harness.out))
        for source in [harness.dataDir.appendingPathComponent("journal"), harness.out] {
            let (target, status, output) = try Self.replay([source.path])
            defer { try? FileManager.default.removeItem(at: target) }
            #expect(status == 0, "\(output.suffix(2000))")
            let replayed = Self.byID(try harness.records(in: target.appendingPathComponent("out")))
            #expect(Set(replayed.keys) == Set(live.keys), "same ids from \(source.lastPathComponent)")
            let differing = Self.differingFields(live, replayed)
            #expect(differing.isSubset(of: Self.runFields), "only run fields differ; also: \(differing.subtracting(Self.runFields))")
            let sample = try #require(replayed.values.first)
            let provenance = try #require(sample["source"] as? [String: Any])
            #expect(provenance["kind"] as? String == "replay")
            #expect((provenance["uri"] as? String)?.hasPrefix("dir:" + harness.inbox.path) == true)
            #expect(sample["fetched_at"] as? String == live[sample["id"] as? String ?? ""]?["fetched_at"] as? String,
                    "the original fetch time is kept")
        }
    }

    @Test("a replay killed with SIGKILL halfway resumes with --resume: the union is complete, without duplicates")
    func resume() throws {
        let harness = try Self.ingested()
        let target = URL(fileURLWithPath: "/tmp/nf-replay-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: target) }
        let first = Process()
        first.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        first.arguments = ["replay", harness.dataDir.appendingPathComponent("journal").path, "--to", target.path,
                           "--rate", "800", "--log-level", "error"]
        first.standardOutput = FileHandle.nullDevice
        first.standardError = FileHandle.nullDevice
        try first.run()
        try harness.wait(seconds: 60, "the replay to be under way") {
            harness.ids(in: target.appendingPathComponent("out")).count >= 1000
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        Thread.sleep(forTimeInterval: 2)  // its children notice the supervisor is gone and stop
        let halfway = Set(harness.ids(in: target.appendingPathComponent("out"))).count
        #expect(halfway < 5000, "killed halfway (\(halfway) written)")
        let (_, status, output) = try Self.replay([harness.dataDir.appendingPathComponent("journal").path],
                                                  extra: ["--resume"], into: target)
        #expect(status == 0, "\(output.suffix(2000))")
        #expect(output.contains("replay resumes"), "the second run started from the saved position")
        let ids = harness.ids(in: target.appendingPathComponent("out"))
        #expect(Set(ids) == Set(harness.ids(in: harness.out)))
        #expect(ids.count == Set(ids).count, "no duplicates")
    }

    @Test("time filters select exactly the articles in range, boundaries included and excluded as documented")
    func timeFilters() throws {
        let harness = try Self.ingested()
        let live = try harness.records(in: harness.out)
        let (target, status, output) = try Self.replay(
            [harness.out.path], extra: ["--time", "published", "--since", "2024-03-05", "--until", "2024-03-10"])
        defer { try? FileManager.default.removeItem(at: target) }
        #expect(status == 0, "\(output.suffix(2000))")
        let expected = Set(live.filter { record in
            guard let published = record["published"] as? String else { return false }
            return published >= "2024-03-05" && published < "2024-03-10"
        }.compactMap { $0["id"] as? String })
        let replayed = Set(harness.ids(in: target.appendingPathComponent("out")))
        #expect(!expected.isEmpty)
        #expect(replayed == expected, "since is inclusive, until exclusive")
        let days = Set(try harness.records(in: target.appendingPathComponent("out")).compactMap { $0["published"] as? String })
        #expect(days == ["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "2024-03-09"])
    }

    @Test("replay into a running pipeline through its submit endpoint: every article accepted and written once")
    func viaRunningPipeline() throws {
        let source = try Self.ingested()
        let running = try PipelineHarness()
        try running.start(["run", "--parsers", "2"])
        let socket = running.dataDir.appendingPathComponent("run/submit.sock")
        try running.wait(seconds: 30, "the submit socket") { FileManager.default.fileExists(atPath: socket.path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: PipelineHarness.binary)
        process.arguments = ["replay", source.dataDir.appendingPathComponent("journal").path, "--via", "ipc://" + socket.path,
                             "--state", running.dataDir.appendingPathComponent("via.position").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output.suffix(2000))")
        #expect(output.contains("5000 articles accepted"))
        try running.wait(seconds: 120, "5,000 replayed articles in the running pipeline's out/") {
            Set(running.ids(in: running.out)).count >= 5000
        }
        #expect(Set(running.ids(in: running.out)) == Set(source.ids(in: source.out)))
        #expect(try running.stop() == 0)
    }
}
