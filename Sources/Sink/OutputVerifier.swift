import Foundation
import StreamFiles
import NewsModel
import RoleSupport

/// Checks a data folder's output the way an operator would before trusting it: every line of `out/` and
/// `dead-letter/` whole and valid JSON with an id, no id written twice, no id both written and
/// dead-lettered.
public struct OutputVerifier {
    /// What was found.
    public struct Report: Sendable {
        /// Records in `out/`.
        public var records = 0
        /// Lines in `dead-letter/`.
        public var deadLetters = 0
        /// Files read.
        public var files = 0
        /// Everything wrong, one sentence each.
        public var problems: [String] = []
        /// Every id written to `out/` or `dead-letter/`.
        public var ids = Set<String>()
        /// Whether nothing is wrong.
        public var isClean: Bool { problems.isEmpty }
    }

    private let layout: DataLayout

    /// A verifier for the data folder `layout`.
    public init(layout: DataLayout) {
        self.layout = layout
    }

    /// Reads everything and reports.
    public func verify() -> Report {
        var report = Report()
        var written: [String: String] = [:]
        check(folder: layout.out, into: &report, seen: &written, count: \.records)
        var dead: [String: String] = [:]
        check(folder: layout.deadLetter, into: &report, seen: &dead, count: \.deadLetters)
        report.ids = Set(written.keys).union(dead.keys)
        for id in dead.keys where written[id] != nil {
            report.problems.append("article \(id) is both in out/ (\(written[id] ?? "")) and in dead-letter/")
        }
        return report
    }

    private func check(
        folder: URL, into report: inout Report, seen: inout [String: String], count: WritableKeyPath<Report, Int>
    ) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for name in names where name.hasSuffix(".jsonl") || name.hasSuffix(".jsonl.gz") {
            report.files += 1
            // Read in steps, decompressed on the fly: memory does not grow with the file.
            var number = 0
            let summary: LineReader.Summary
            do {
                summary = try LineReader.lines(in: folder.appendingPathComponent(name)) { line in
                    number += 1
                    guard !line.isEmpty else { return }
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                          let id = object["id"] as? String, !id.isEmpty
                    else {
                        report.problems.append("\(name):\(number): not a JSON object with an id")
                        return
                    }
                    report[keyPath: count] += 1
                    if let first = seen[id] {
                        report.problems.append("\(name):\(number): id \(id) already at \(first)")
                    } else {
                        seen[id] = "\(name):\(number)"
                    }
                }
            } catch {
                report.problems.append("\(name): cannot be read (or is not valid gzip)")
                continue
            }
            if !summary.endsWithNewline {
                report.problems.append("\(name): torn last line (no newline at end): the sink cuts it off when it starts")
            }
        }
    }
}
