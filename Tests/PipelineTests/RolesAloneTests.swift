import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Roles run alone and supervisor loss", .tags(.endToEnd), .serialized)
struct RolesAloneTests {
    @Test("sink, parser and a stdin-fed fetcher as separate processes: JSON Lines from stdin reach out/")
    func stdinThroughSeparateRoles() throws {
        let harness = try PipelineHarness()
        let sink = try harness.spawn(["sink"])
        let parser = try harness.spawn(["parser", "--instance", "parser-a"])
        defer {
            for process in [sink, parser] where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        var lines = ""
        for index in 0..<300 {
            let object: [String: Any] = [
                "title": "Stdin story \(index)", "text": "ROME, May \(index % 28 + 1) - Item \(index) was approved.",
                "date": "2024-05-\(index % 28 + 10)",
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            lines += String(decoding: data, as: UTF8.self) + "\n"
        }
        let fetcher = try harness.spawn(["fetcher", "--stdin", "--exit-when-drained"], stdin: Array(lines.utf8))
        try harness.wait(seconds: 60, "the stdin fetcher to drain and exit") { !fetcher.isRunning }
        #expect(fetcher.terminationStatus == 0)
        let records = try harness.records(in: harness.out)
        #expect(records.count == 300)
        #expect(Set(records.compactMap { $0["id"] as? String }).count == 300)
        #expect(records.allSatisfy { ($0["source"] as? [String: Any])?["kind"] as? String == "stdin" })
        let first = try #require(records.first { $0["title"] as? String == "Stdin story 0" })
        #expect((first["dateline"] as? [String: Any])?["city"] as? String == "Rome")
        for process in [parser, sink] {
            kill(process.processIdentifier, SIGTERM)
            try harness.wait(seconds: 10, "\(process.arguments?.first ?? "role") to stop") { !process.isRunning }
            #expect(process.terminationStatus == 0)
        }
    }

    @Test("children of a supervisor killed with SIGKILL notice and exit")
    func orphansExit() throws {
        let harness = try PipelineHarness()
        try harness.start(["run", "--parsers", "2"])
        try harness.wait(seconds: 30, "four children") {
            harness.processesUsingDataDir().count >= 5
        }
        _ = try harness.stop(signal: SIGKILL, seconds: 10)
        try harness.wait(seconds: 15, "every orphaned child to exit") { harness.processesUsingDataDir().isEmpty }
    }
}
