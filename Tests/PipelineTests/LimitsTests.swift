import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Drop folder hazards and hard limits", .tags(.endToEnd), .serialized)
struct LimitsTests {
    /// Creates a file whose name is given as raw bytes (which need not be UTF-8).
    private static func write(_ folder: URL, rawName: [UInt8], _ contents: [UInt8]) throws {
        let path = (Array(folder.path.utf8) + [UInt8(ascii: "/")] + rawName + [0]).map { CChar(bitPattern: $0) }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw HarnessError("cannot create \(rawName): errno \(errno)") }
        defer { close(descriptor) }
        guard contents.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == contents.count else {
            throw HarnessError("short write")
        }
    }

    private static func sourceName(_ record: [String: Any]) -> String? {
        ((record["source"] as? [String: Any])?["uri"] as? String).map { String($0.split(separator: "/").last ?? "") }
    }

    @Test("odd names, links in and out of the folder, loops, FIFOs and files still being written: each once, in out/ or dead-letter/")
    func dropFolder() throws {
        let harness = try PipelineHarness()
        let inbox = harness.inbox
        // Names with a tab, a newline, a percent sign, non-ASCII letters, and bytes that are not UTF-8.
        let oddNames: [([UInt8], String)] = [
            (Array("tab\there.txt".utf8), "tab%09here.txt"),
            (Array("new\nline.txt".utf8), "new%0Aline.txt"),
            (Array("100%.txt".utf8), "100%25.txt"),
            (Array("ünïcode name.txt".utf8), "ünïcode name.txt"),
            ([0x66, 0xFF, 0xFE, 0x2E, 0x74, 0x78, 0x74], "f%FF%FE.txt"),
        ]
        for (index, (raw, _)) in oddNames.enumerated() {
            try Self.write(inbox, rawName: raw, generatedArticle(index))
        }
        // A link to a file in a subfolder (subfolders are not taken themselves): followed.
        let sub = inbox.appendingPathComponent("sub")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        try Data(generatedArticle(10)).write(to: sub.appendingPathComponent("inner.txt"))
        #expect(symlink("sub/inner.txt", inbox.appendingPathComponent("link-in.txt").path) == 0)
        // A link out of the folder: refused, the file it points to is not read.
        let secret = harness.dataDir.appendingPathComponent("secret.txt")
        try Data("Secret\n\nTOP-SECRET-CONTENT must never be read.".utf8).write(to: secret)
        #expect(symlink(secret.path, inbox.appendingPathComponent("link-out.txt").path) == 0)
        // A loop of links and a FIFO (reading it would block the fetcher forever).
        #expect(symlink("loop-b", inbox.appendingPathComponent("loop-a").path) == 0)
        #expect(symlink("loop-a", inbox.appendingPathComponent("loop-b").path) == 0)
        #expect(mkfifo(inbox.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        // A file written slowly, in pieces, while the pipeline runs: taken once, whole.
        let slow = inbox.appendingPathComponent("slow.txt")
        let pieces = ["Slowly written story\n\n", "The first paragraph arrives. ", "More words follow later. ",
                      "Still writing the article. ", "Nearly done now. ", "END-OF-STORY."]
        _ = FileManager.default.createFile(atPath: slow.path, contents: Data(pieces[0].utf8))

        try harness.start(["run", "--parsers", "1"], environment: ["NEWSFLOW_FETCHER_INBOX_SETTLE_MS": "400"])
        let writer = try FileHandle(forWritingTo: slow)
        for piece in pieces.dropFirst() {
            Thread.sleep(forTimeInterval: 0.15)
            _ = try writer.seekToEnd()
            try writer.write(contentsOf: Data(piece.utf8))
        }
        try writer.close()

        let expected = oddNames.count + 2 + 4  // odd names, link-in, slow; link-out, loop-a, loop-b, pipe
        try harness.wait(seconds: 60, "every entry in out/ or dead-letter/") {
            harness.ids(in: harness.out).count + harness.ids(in: harness.deadLetter).count >= expected
        }
        Thread.sleep(forTimeInterval: 1.5)  // anything taken twice would arrive by now
        #expect(try harness.stop() == 0)

        let records = try harness.records(in: harness.out)
        let dead = try harness.records(in: harness.deadLetter)
        let written = records.compactMap(Self.sourceName)
        #expect(written.sorted() == (oddNames.map(\.1) + ["link-in.txt", "slow.txt"]).sorted())
        let slowRecord = try #require(records.first { Self.sourceName($0) == "slow.txt" })
        #expect((slowRecord["body"] as? String)?.hasSuffix("END-OF-STORY.") == true, "taken whole, not half-written")
        let reasons = Dictionary(dead.compactMap { line in (line["name"] as? String).map { ($0, line["reason"] as? String ?? "") } },
                                 uniquingKeysWith: { first, _ in first })
        #expect(reasons.keys.sorted() == ["link-out.txt", "loop-a", "loop-b", "pipe.txt"])
        #expect(reasons["link-out.txt"]?.contains("leads out of the drop folder") == true)
        #expect(reasons["loop-a"]?.contains("cannot be resolved") == true)
        #expect(reasons["pipe.txt"]?.contains("not a regular file") == true)
        let everything = try (records + dead).map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        #expect(!everything.contains { $0.contains("TOP-SECRET-CONTENT") })
    }

    @Test("articles over max_article_bytes, records over max_line_bytes and JSON over max_json_depth are dead-lettered; entities are capped")
    func sizeLimits() throws {
        let harness = try PipelineHarness()
        let paragraph = String(repeating: "Officials said the plan would go ahead as agreed last week. ", count: 20)
        let tooBig = "Too big\n\n" + Array(repeating: paragraph, count: 130).joined(separator: "\n\n")  // ~160 KB
        let longRecord = "Long record\n\n" + Array(repeating: paragraph, count: 60).joined(separator: "\n\n")  // ~73 KB
        let deep = #"{"title": "Deep", "text": "Body text of the story.", "extra": [[[[["x"]]]]]}"#
        let people = "Many people\n\n" + (0..<12).map { "Minister Anna Person\($0) said it would work." }.joined(separator: " ")
        try harness.drop("too-big.txt", Array(tooBig.utf8))
        try harness.drop("long-record.txt", Array(longRecord.utf8))
        try harness.drop("deep.json", Array(deep.utf8))
        try harness.drop("people.txt", Array(people.utf8))
        try harness.drop("fine.txt", generatedArticle(1))
        try harness.start(["run", "--parsers", "1", "--exit-when-drained"], environment: [
            "NEWSFLOW_LIMITS_MAX_ARTICLE_BYTES": "100000", "NEWSFLOW_LIMITS_MAX_LINE_BYTES": "100000",
            "NEWSFLOW_LIMITS_MAX_JSON_DEPTH": "4", "NEWSFLOW_LIMITS_MAX_ENTITIES": "3",
        ])
        #expect(try harness.waitForExit(seconds: 90) == 0)

        let records = try harness.records(in: harness.out)
        let dead = try harness.records(in: harness.deadLetter)
        #expect(Set(records.compactMap(Self.sourceName)) == ["people.txt", "fine.txt"])
        let reasons = Dictionary(dead.compactMap { line in (line["name"] as? String).map { ($0, line["reason"] as? String ?? "") } },
                                 uniquingKeysWith: { first, _ in first })
        #expect(reasons["too-big.txt"]?.contains("over limits.max_article_bytes") == true)
        #expect(reasons["long-record.txt"]?.contains("limits.max_line_bytes") == true)
        #expect(reasons["deep.json"]?.contains("deeper than 4") == true)
        let manyPeople = try #require(records.first { Self.sourceName($0) == "people.txt" })
        let entities = try #require(manyPeople["entities"] as? [String: Any])
        let total = ["persons", "organizations", "locations"].reduce(0) { $0 + ((entities[$1] as? [Any])?.count ?? 0) }
        #expect(total == 3)
        #expect((manyPeople["warnings"] as? [String])?.contains { $0.contains("limits.max_entities 3") } == true)
        // Every line of out/ is within the limit.
        for name in try FileManager.default.contentsOfDirectory(atPath: harness.out.path) where name.hasSuffix(".jsonl") {
            let data = try Data(contentsOf: harness.out.appendingPathComponent(name))
            #expect(data.split(separator: UInt8(ascii: "\n")).allSatisfy { $0.count <= 100_000 })
        }
    }

    @Test("an article over the parse time budget is cut off and dead-lettered; the worker lives on")
    func parseBudget() throws {
        let harness = try PipelineHarness()
        let paragraph = String(repeating: "Anna Smith told Reuters in Paris that NATO and the United Nations agreed. ", count: 30)
        for index in 0..<3 {
            let text = "Heavy story \(index)\n\n" + Array(repeating: paragraph, count: 800).joined(separator: "\n\n")  // ~1.8 MB
            try harness.drop("heavy-\(index).txt", Array(text.utf8))
        }
        try harness.start(["run", "--parsers", "1", "--exit-when-drained"],
                          environment: ["NEWSFLOW_LIMITS_PARSE_BUDGET_MS": "50"])
        #expect(try harness.waitForExit(seconds: 120) == 0)
        let dead = try harness.records(in: harness.deadLetter)
        #expect(dead.count == 3)
        for line in dead {
            #expect((line["reason"] as? String)?.hasPrefix("time_budget: parse time budget of 50 ms") == true)
            #expect(line["attempts"] as? Int == 1, "dead-lettered at once, not retried as if the worker had died")
        }
        #expect(!harness.log.contains("child exited unexpectedly"), "the worker was not restarted")
    }
}
