import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Near-duplicate stories", .tags(.endToEnd), .serialized)
struct DuplicateTests {
    static func seed() throws -> String {
        let url = PipelineHarness.shared.appendingPathComponent("seeds/000_87078c263ab8fd8c.txt")
        try #require(FileManager.default.fileExists(atPath: url.path), "the shared seed is missing: \(url.path)")
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }

    /// The record of each input file, by file name.
    static func byName(_ harness: PipelineHarness, in folder: URL) throws -> [String: [String: Any]] {
        var records: [String: [String: Any]] = [:]
        for record in try harness.records(in: folder) {
            let uri = (record["source"] as? [String: Any])?["uri"] as? String ?? ""
            records[URL(fileURLWithPath: uri).lastPathComponent] = record
        }
        return records
    }

    /// The records' groups: ids that share a `duplicate_of` (or are it), as sets.
    static func groups(_ records: [[String: Any]]) -> Set<Set<String>> {
        var members: [String: Set<String>] = [:]
        for record in records {
            guard let id = record["id"] as? String else { continue }
            members[record["duplicate_of"] as? String ?? id, default: []].insert(id)
        }
        return Set(members.values)
    }

    @Test("a lightly edited copy names the story, an unrelated story does not; after a SIGKILLed sink a later copy still names it; a replay finds the same groups")
    func copies() throws {
        let story = try Self.seed()
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"], environment: [
            "NEWSFLOW_METRICS_PORT": "0", "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "100",
        ])
        let port = try OperatingTests.port(harness)
        try harness.drop("story.txt", Array(story.utf8))
        try harness.wait(seconds: 30, "the story") { harness.ids(in: harness.out).count == 1 }
        try harness.drop("unrelated.txt", Array(("Rain delays harvest\n\nFarmers in the south said heavy rain had "
            + "delayed the wheat harvest by two weeks, and prices for bread flour rose on Tuesday as mills waited "
            + "for supplies. The agriculture ministry said it would release grain from reserves.").utf8))
        let copy = story.replacingOccurrences(of: "broad exchange of views", with: "wide exchange of opinions")
            .replacingOccurrences(of: "20 percent", with: "a fifth")
        #expect(copy != story)
        try harness.drop("copy.txt", Array(copy.utf8))
        try harness.wait(seconds: 30, "three records") { harness.ids(in: harness.out).count == 3 }

        // The sink dies without a chance to save anything; the supervisor starts a new one.
        let sink = try #require(EndToEndTests.pid(of: "sink", harness: harness))
        kill(sink, SIGKILL)
        try harness.wait(seconds: 30, "a new sink") { EndToEndTests.pid(of: "sink", harness: harness).map { $0 != sink } ?? false }
        let later = story.replacingOccurrences(of: "broad exchange of views", with: "frank exchange of views")
        try harness.drop("later-copy.txt", Array(later.utf8))
        try harness.wait(seconds: 30, "four records") { harness.ids(in: harness.out).count == 4 }
        Thread.sleep(forTimeInterval: 2.5)  // the children export metrics every second
        let (code, metrics) = try OperatingTests.get(port, "/metrics")
        #expect(try harness.stop() == 0)

        let records = try Self.byName(harness, in: harness.out)
        let storyID = try #require(records["story.txt"]?["id"] as? String)
        #expect(records["story.txt"]?["duplicate_of"] == nil)
        #expect(records["unrelated.txt"]?["duplicate_of"] == nil)
        #expect(records["copy.txt"]?["duplicate_of"] as? String == storyID)
        #expect(records["later-copy.txt"]?["duplicate_of"] as? String == storyID, "linked by the restarted sink")
        #expect(harness.log.contains("near-duplicate index rebuilt from out/"))
        #expect(code == 200)
        #expect(metrics.contains(#"newsflow_near_duplicates_total{role="sink",instance="sink"} 1"#),
                "the restarted sink counts its own: \(metrics.split(separator: "\n").filter { $0.contains("near_dup") })")

        let verify = try harness.spawn(["verify"], logName: "verify.log")
        try harness.wait(seconds: 60, "verify") { !verify.isRunning }
        #expect(verify.terminationStatus == 0, "newsflow verify is clean with duplicate_of in the records")

        // A replay of the journal into a fresh folder finds the same groups. (Which copy of a group comes
        // first may differ when two copies reach the sink a sync apart in the reverse of their order:
        // docs/duplicates.md.)
        let (target, status, output) = try ReplayTests.replay([harness.dataDir.appendingPathComponent("journal").path])
        defer { try? FileManager.default.removeItem(at: target) }
        #expect(status == 0, "\(output.suffix(2000))")
        let live = Self.groups(try harness.records(in: harness.out))
        #expect(live.contains(Set(["story.txt", "copy.txt", "later-copy.txt"].compactMap { records[$0]?["id"] as? String })))
        #expect(Self.groups(try harness.records(in: target.appendingPathComponent("out"))) == live)

        let schema = PipelineHarness.packageRoot.appendingPathComponent("schema/article.schema.json").path
        let validated = try harness.python("Tests/python/validate_records.py", arguments: [schema, harness.out.path])
        #expect(validated.status == 0, "\(validated.output)")
    }
}
