import Foundation
import Logging
import NewsModel
import RoleSupport
import StreamFiles
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

        var seen = try SeenIDs(folder: folder, remember: 1000, logger: Logger(label: "test"))
        let repaired = try Data(contentsOf: file.url)
        #expect(repaired.isEmpty || repaired.last == UInt8(ascii: "\n"))
        #expect(seen.count == whole, "every whole line's id is known after the repair")
        for index in 0..<whole {
            let isNew = seen.insert(Self.id(index))
            #expect(!isNew, "line \(index) is known")
        }
    }

    @Test("the ids remembered are bounded: the newest `remember` at least, read at start from the newest files only")
    func bounded() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-sink-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Ten files of 100 lines, named so that they sort by time: file 9 is the newest.
        for number in 0..<10 {
            let file = JSONLinesFile(url: folder.appendingPathComponent("part-\(number).jsonl"))
            for index in (number * 100)..<(number * 100 + 100) { file.append(Self.line(index)) }
            try file.sync()
        }
        var filesRead = Set<Int>()
        var seen = try SeenIDs(folder: folder, remember: 250, logger: Logger(label: "test"),
                               each: { _, _, _, file in filesRead.insert(file) })
        #expect(filesRead == [0, 1, 2], "the three newest files hold the 250 newest ids; older ones are not read")
        #expect(seen.count == 300)
        let newest = [seen.insert(Self.id(999)), seen.insert(Self.id(700))]
        #expect(newest == [false, false], "the newest files' ids are known")
        let older = seen.insert(Self.id(650))
        #expect(older, "an id older than those read is not (now it is the first new one)")
        // 250 new ids in all: the generation loaded at start is forgotten; the newest 250 stay.
        let added = (1000..<1249).filter { seen.insert(Self.id($0)) }
        #expect(added.count == 249 && seen.count == 250)
        let forgotten = seen.insert(Self.id(800))
        #expect(forgotten, "forgotten with its generation")
        let again = (1000..<1249).filter { seen.insert(Self.id($0)) }
        #expect(again.isEmpty, "the newest are all known")
    }
}

@Suite("Sink files: compression crash safety")
struct CompressionTidyTests {
    @Test("closed files are compressed off the sink's loop, in order; a file that cannot be is reported and left; finish waits for the queue")
    func background() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let compressor = BackgroundCompressor()
        var originals: [URL: Data] = [:]
        for part in 0..<3 {
            let file = JSONLinesFile(url: folder.appendingPathComponent("part-\(part).jsonl"))
            // Several hundred kilobytes each, so compression is still running when the next is queued.
            for index in (part * 4000)..<((part + 1) * 4000) { file.append(SinkFilesTests.line(index)) }
            try file.sync()
            originals[file.url] = try Data(contentsOf: file.url)
            compressor.enqueue(file.url)
        }
        compressor.enqueue(folder.appendingPathComponent("part-missing.jsonl"))
        compressor.finish()
        #expect(compressor.backlog == 0)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(names == ["part-0.jsonl.gz", "part-1.jsonl.gz", "part-2.jsonl.gz"])
        for (url, data) in originals {
            var back = Data()
            try Gzip.decompress(file: url.appendingPathExtension("gz")) { back.append(contentsOf: $0) }
            #expect(back == data, "\(url.lastPathComponent) round-trips")
        }
        let failures = compressor.takeFailures()
        #expect(failures.count == 1 && failures[0].contains("part-missing.jsonl"))
        #expect(compressor.takeFailures().isEmpty, "a failure is reported once")
        // The thread starts again for files queued after a finish.
        let late = JSONLinesFile(url: folder.appendingPathComponent("part-3.jsonl"))
        late.append(SinkFilesTests.line(1))
        try late.sync()
        compressor.enqueue(late.url)
        compressor.finish()
        #expect(FileManager.default.fileExists(atPath: late.url.path + ".gz"))
    }

    @Test("a half-written .gz.tmp is removed; an original next to its complete .gz is removed; .gz round-trips")
    func tidy() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = JSONLinesFile(url: folder.appendingPathComponent("part-a.jsonl"))
        for index in 0..<50 { a.append(SinkFilesTests.line(index)) }
        try a.sync()
        let original = try Data(contentsOf: a.url)
        try SegmentCompressor.compress(a.url)
        #expect(!FileManager.default.fileExists(atPath: a.url.path))
        // Crash after the rename, before the unlink: both exist.
        try original.write(to: a.url)
        // Crash mid-compression of another file: a .tmp and its intact original.
        let b = folder.appendingPathComponent("part-b.jsonl")
        try original.write(to: b)
        try Data([0x1F, 0x8B, 0x08]).write(to: folder.appendingPathComponent("part-b.jsonl.gz.tmp"))
        try SegmentCompressor.tidy(folder: folder, compress: false, logger: Logger(label: "test"))
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(names == ["part-a.jsonl.gz", "part-b.jsonl"])
        var seen = try SeenIDs(folder: folder, remember: 1000, logger: Logger(label: "test"))
        #expect(seen.count == 50, "ids read from the .gz and the plain file (the same 50)")
        let known = seen.insert(SinkFilesTests.id(3))
        #expect(!known)
    }

    @Test("a closed file of several megabytes is compressed and read back in steps: gzip gives back every byte, the line reader every line")
    func streamedGzip() throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nf-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // 30,000 lines of about 250 bytes with hard-to-compress hex: several compression and
        // decompression steps, and lines that straddle them.
        let file = JSONLinesFile(url: folder.appendingPathComponent("part-big.jsonl"))
        var generator = SystemRandomNumberGenerator()
        for index in 0..<30_000 {
            let noise = (0..<25).map { _ in String(generator.next() as UInt32, radix: 16) }.joined()
            file.append(Array(#"{"id":"\#(SinkFilesTests.id(index))","noise":"\#(noise)","seq":\#(index)}"#.utf8))
        }
        try file.sync()
        let original = try Data(contentsOf: file.url)
        #expect(original.count > 6 << 20)
        try SegmentCompressor.compress(file.url)
        let compressed = file.url.appendingPathExtension("gz")
        #expect(!FileManager.default.fileExists(atPath: file.url.path))
        let size = try #require(try FileManager.default.attributesOfItem(atPath: compressed.path)[.size] as? Int)
        #expect(size > 2 << 20, "the compressed file spans several read steps")
        // An outside gzip reads it back whole.
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", compressed.path]
        let pipe = Pipe()
        gunzip.standardOutput = pipe
        try gunzip.run()
        let restored = pipe.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(gunzip.terminationStatus == 0)
        #expect(restored == original)
        // The line reader streams it: every line, in order.
        var count = 0
        var inOrder = true
        try LineReader.forEachLine(in: compressed) { line in
            if !String(decoding: line, as: UTF8.self).hasSuffix(#","seq":\#(count)}"#) { inOrder = false }
            count += 1
        }
        #expect(count == 30_000)
        #expect(inOrder)
        // Cut short (a disk that filled, a copy that stopped): read as an error, not as fewer lines.
        let whole = try Data(contentsOf: compressed)
        for cut in [whole.count / 2, whole.count - 3] {
            let truncated = folder.appendingPathComponent("part-cut-\(cut).jsonl.gz")
            try whole.prefix(cut).write(to: truncated)
            #expect(throws: (any Error).self) { try LineReader.forEachLine(in: truncated) { _ in } }
        }
    }
}
