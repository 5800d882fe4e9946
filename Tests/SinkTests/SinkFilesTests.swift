import Foundation
import Logging
import NewsModel
import RoleSupport
import Testing

@testable import Sink

@Suite("Sink files: crash consistency")
struct SinkFilesTests {
    static func id(_ index: Int) -> String { ArticleID(contentOf: Array(String(index).utf8)).description }

    static func line(_ index: Int) -> [UInt8] {
        let id = id(index)
        return Array(#"{"body":"text \#(index) with \"quotes\"","id":"\#(id)","seq":\#(index)}"#.utf8)
    }

    @Test("an output file cut at a random byte: the torn line is cut off, every whole line and id kept",
          arguments: Array(0..<30))
    func cutOutput(trial: Int) throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = JSONLinesFile(url: folder.appendingPathComponent("part-1.jsonl"))
        for index in 0..<200 { file.append(Self.line(index)) }
        try file.sync()
        let data = try Data(contentsOf: file.url)
        var generator = SystemRandomNumberGenerator()
        let cut = Int.random(in: 1..<data.count, using: &generator)
        try data.prefix(cut).write(to: file.url)
        let whole = data.prefix(cut).split(separator: UInt8(ascii: "\n")).count - (data[cut - 1] == UInt8(ascii: "\n") ? 0 : 1)

        var seen = try SeenIDs(folder: folder, logger: Logger(label: "test"))
        let repaired = try Data(contentsOf: file.url)
        #expect(repaired.isEmpty || repaired.last == UInt8(ascii: "\n"))
        #expect(seen.count == whole, "every whole line's id is known after the repair")
        for index in 0..<whole {
            let isNew = seen.insert(Self.id(index))
            #expect(!isNew, "line \(index) is known")
        }
    }
}
