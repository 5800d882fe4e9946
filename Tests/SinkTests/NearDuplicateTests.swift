import NewsModel
import Testing

@testable import Sink

@Suite("Near-duplicate index")
struct NearDuplicateTests {
    /// 0.65 of 64 values: 42 must agree.
    static let settings = NearDuplicates.Settings(windowRecords: 1000, windowSeconds: 3600, similarity: 0.65)

    static func sketch(_ seed: UInt64) -> MinHashSketch { NearDuplicates.sampleSketch(seed: seed) }

    /// `sketch` with `changed` values replaced, spread over the bins from the `from`-th on.
    static func edited(_ sketch: MinHashSketch, changed: Int, from: Int = 0, salt: UInt16 = 1) -> MinHashSketch {
        var copy = sketch
        for step in from..<(from + changed) { copy.values[(step * 37) % MinHashSketch.count] &+= salt }
        return copy
    }

    @Test("a copy links to the first record, a copy of the copy to the same first record, another story to none")
    func groups() {
        var index = NearDuplicates(settings: Self.settings)
        let story = Self.sketch(1)
        #expect(index.add(id: "a000000000000001", sketch: story, fetchedAt: 0) == nil)
        #expect(index.add(id: "a000000000000002", sketch: Self.sketch(2), fetchedAt: 1) == nil)
        let copy = Self.edited(story, changed: 12)
        #expect(index.add(id: "a000000000000003", sketch: copy, fetchedAt: 2) == "a000000000000001")
        // Shares 40 values with the story, but 52 with its copy: the group is the story's.
        #expect(index.add(id: "a000000000000004", sketch: Self.edited(copy, changed: 12, from: 12), fetchedAt: 3)
            == "a000000000000001")
        // Below the agreement: 30 values differ.
        #expect(index.add(id: "a000000000000005", sketch: Self.edited(story, changed: 30, salt: 3), fetchedAt: 4) == nil)
        #expect(index.count == 5)
    }

    @Test("ids that are not 16 hex digits come back as written")
    func spelledIDs() {
        var index = NearDuplicates(settings: Self.settings)
        let story = Self.sketch(7)
        #expect(index.add(id: "Story \"One\"", sketch: story, fetchedAt: 0) == nil)
        #expect(index.add(id: "x", sketch: story, fetchedAt: 1) == "Story \"One\"")
        #expect(index.add(id: "ABCDEF0123456789", sketch: Self.sketch(8), fetchedAt: 1) == nil)
        #expect(index.add(id: "y", sketch: Self.sketch(8), fetchedAt: 2) == "ABCDEF0123456789")
    }

    @Test("a record fetched longer than the window after the story is not linked; one within it is")
    func timeWindow() {
        var index = NearDuplicates(settings: Self.settings)
        _ = index.add(id: "b000000000000001", sketch: Self.sketch(3), fetchedAt: 1_000)
        #expect(index.add(id: "b000000000000002", sketch: Self.sketch(3), fetchedAt: 4_600) == "b000000000000001")
        _ = index.add(id: "b000000000000003", sketch: Self.sketch(4), fetchedAt: 5_000)
        #expect(index.add(id: "b000000000000004", sketch: Self.sketch(4), fetchedAt: 8_601) == nil, "3,601 s after")
        // A record that comes late is compared as of the latest time seen: the clock does not go back.
        #expect(index.add(id: "b000000000000005", sketch: Self.sketch(3), fetchedAt: 1_000) == nil)
    }

    @Test("the index holds at most window_records and forgets the oldest first")
    func countWindow() {
        var index = NearDuplicates(settings: NearDuplicates.Settings(windowRecords: 100, windowSeconds: 1 << 40, similarity: 0.65))
        _ = index.add(id: "c000000000000000", sketch: Self.sketch(1_000), fetchedAt: 0)
        for number in 1..<50 { _ = index.add(id: "c\(number)", sketch: Self.sketch(UInt64(1_000 + number)), fetchedAt: 0) }
        #expect(index.add(id: "copy-1", sketch: Self.sketch(1_000), fetchedAt: 0) == "c000000000000000", "50 records back")
        for number in 51..<160 { _ = index.add(id: "c\(number)", sketch: Self.sketch(UInt64(1_000 + number)), fetchedAt: 0) }
        #expect(index.count <= 100)
        #expect(index.add(id: "copy-2", sketch: Self.sketch(1_000), fetchedAt: 0) == nil, "160 records back: forgotten")
        #expect(index.add(id: "copy-3", sketch: Self.sketch(1_155), fetchedAt: 0) == "c155")
    }

    @Test("rebuilt from the last window_records lines written, files read newest first, oldest line first")
    func backlogWindow() {
        let settings = NearDuplicates.Settings(windowRecords: 10, windowSeconds: 1 << 40, similarity: 0.65)
        var backlog = NearDuplicates.Backlog(settings: settings)
        // Lines 0-34 in files of 8 lines (the last has 3), read newest file first as the sink does.
        let files = stride(from: 0, to: 35, by: 8).map { Array($0..<min(35, $0 + 8)) }
        for (file, numbers) in files.reversed().enumerated() {
            for number in numbers {
                let id = String(format: "f%015d", number)
                backlog.take(Array(#"{"fetched_at":"2026-12-06T10:00:00Z","id":"\#(id)","minhash":"\#(Self.sketch(UInt64(number)).text)"}"#.utf8), file: file)
            }
        }
        var index = backlog.indexed(settings)
        #expect(index.count == 10)
        #expect(index.add(id: "g1", sketch: Self.sketch(25), fetchedAt: nil) == String(format: "f%015d", 25))
        #expect(index.add(id: "g2", sketch: Self.sketch(24), fetchedAt: nil) == nil, "the 11th from last is not held")
    }

    @Test("rebuilt from written lines, the groups are those the lines name")
    func learnFromLines() {
        var backlog = NearDuplicates.Backlog(settings: Self.settings)
        let story = Self.sketch(5)
        func line(_ id: String, _ sketch: MinHashSketch, duplicateOf: String? = nil) -> [UInt8] {
            let duplicate = duplicateOf.map { #""duplicate_of":"\#($0)","# } ?? ""
            return Array(#"{"body":"b",\#(duplicate)"fetched_at":"2026-12-06T10:00:00.000Z","id":"\#(id)","minhash":"\#(sketch.text)","seq":1}"#.utf8)
        }
        backlog.take(line("d000000000000001", story))
        backlog.take(line("d000000000000002", Self.edited(story, changed: 30), duplicateOf: "d0000000000000ff"))
        backlog.take(Array(#"{"body":"no sketch","fetched_at":"2026-12-06T10:00:00.000Z","id":"e0","seq":1}"#.utf8))
        var index = backlog.indexed(Self.settings)
        #expect(index.count == 2)
        let copy = Self.edited(Self.edited(story, changed: 30), changed: 2, from: 40)
        let marked = index.mark(line("d000000000000003", copy), id: "d000000000000003", maxBytes: 1 << 20)
        #expect(marked.duplicateOf == "d0000000000000ff")
        #expect(String(decoding: marked.line, as: UTF8.self).contains(#""duplicate_of":"d0000000000000ff","fetched_at""#))
        let full = line("d000000000000004", story)
        let tooLong = index.mark(full, id: "d000000000000004", maxBytes: full.count + 20)
        #expect(tooLong.duplicateOf == nil, "a line that would pass limits.max_line_bytes is written as it came")
        let without = Array(#"{"body":"b","fetched_at":"2026-12-06T10:00:00.000Z","id":"e1","seq":1}"#.utf8)
        #expect(index.mark(without, id: "e1", maxBytes: 1 << 20).line == without, "no sketch: written as it came")
    }

    @Test("the band table keeps the latest number of every key through its growth, and knows no other key")
    func bandTable() {
        var table = BandTable()
        var expected: [UInt32: UInt32] = [:]
        var state: UInt64 = 42
        for number in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Some keys come back: the table must overwrite, not add.
            let key = number % 5 == 0 ? UInt32(number / 5) : UInt32(truncatingIfNeeded: state >> 32)
            table.set(key, to: UInt32(number))
            expected[key] = UInt32(number)
        }
        #expect(expected.allSatisfy { table.find($0.key) == $0.value })
        let absent = (0..<1000).map { UInt32.max - UInt32($0) }.filter { expected[$0] == nil }
        #expect(absent.allSatisfy { table.find($0) == nil })
    }

    @Test("fetched_at read as seconds since 1970, offsets applied, nonsense refused")
    func times() {
        func parse(_ text: String) -> Int64? { EpochSeconds.parse(Array(text.utf8)[...]) }
        #expect(parse("1970-01-01T00:00:00Z") == 0)
        #expect(parse("2026-12-06T22:25:53.123Z") == 1_796_595_953)
        #expect(parse("2000-03-01T00:00:00+01:00") == 951_865_200)
        #expect(parse("2024-02-29T12:00:00-00:30") == 1_709_209_800)
        #expect(parse("2026-13-01T00:00:00Z") == nil)
        #expect(parse("2026-12-06 22:25") == nil)
        #expect(parse("yesterday") == nil)
    }
}

extension NearDuplicates.Backlog {
    /// Takes a whole line of file `file`, as the sink's start does.
    mutating func take(_ line: [UInt8], file: Int = 0) {
        guard let range = RecordLine.idRange(in: line[...]) else { return }
        append(line[...], id: String(decoding: line[range], as: UTF8.self), idAt: range, file: file)
    }
}
