import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Encodes records as one line of JSON each: keys sorted, slashes not escaped, no newline inside.
public enum RecordEncoder {
    /// The record as UTF-8 JSON without a trailing newline.
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// The output record as one line, written directly (the same bytes as the generic form, faster).
    public static func encode(_ article: Article) -> [UInt8] {
        article.jsonLine()
    }
}

extension ArticleID {
    /// The dedupe key for any id string: its value when it is 16 hex digits, else a hash of its text.
    public init(key: String) {
        self = ArticleID(hex: key) ?? ArticleID(contentOf: key.utf8)
    }
}

/// Reads and edits top-level string fields of a record line written by ``RecordEncoder`` without decoding
/// the whole line. String contents escape `"`, so `"name":"` can only be a key; the keys looked up here
/// (`id`, `minhash`, `fetched_at`, `duplicate_of`, `entities`) belong to the record itself, and sorted keys
/// put no nested object with an `id` key before the record's own.
public enum RecordLine {
    private static let idMarker = Array("\"id\":\"".utf8)

    /// The id, or `nil` if the line has none.
    public static func id(in line: ArraySlice<UInt8>) -> String? {
        string(after: idMarker, in: line)
    }

    /// Where the id's value lies in the line.
    public static func idRange(in line: ArraySlice<UInt8>) -> Range<Int>? {
        value(after: idMarker, in: line)
    }

    /// The value of the string field whose key and opening quote are `marker` (`"minhash":"`), raw (escapes
    /// left as written), or `nil`.
    public static func string(after marker: [UInt8], in line: ArraySlice<UInt8>) -> String? {
        guard let range = value(after: marker, in: line) else { return nil }
        return String(decoding: line[range], as: UTF8.self)
    }

    /// Where the string value after `marker` lies in `line`.
    public static func value(after marker: [UInt8], in line: ArraySlice<UInt8>) -> Range<Int>? {
        guard let start = find(marker, in: line).map({ $0 + marker.count }),
              let end = line[start...].firstIndex(of: UInt8(ascii: "\""))
        else { return nil }
        return start..<end
    }

    private static let duplicateMarker = Array("\"duplicate_of\":".utf8)
    /// The keys that sort right after `duplicate_of`; `fetched_at` is always there.
    private static let followers = [Array(",\"entities\":{".utf8), Array(",\"fetched_at\":\"".utf8)]

    /// The line with `"duplicate_of":"<id>"` inserted where sorted keys put it (the same bytes the writer
    /// makes for a record with `duplicateOf` set), or `nil` when the line is not a record that lacks one.
    public static func settingDuplicateOf(_ id: String, in line: [UInt8]) -> [UInt8]? {
        guard find(duplicateMarker, in: line[...]) == nil,
              let at = followers.lazy.compactMap({ find($0, in: line[...]) }).first
        else { return nil }
        var field = JSONWriter(capacity: 64)
        field.beginObject()
        field.key("duplicate_of")
        field.string(id)
        var inserted = Array(line[..<at])
        inserted.reserveCapacity(line.count + field.bytes.count)
        inserted.append(UInt8(ascii: ","))
        inserted.append(contentsOf: field.bytes.dropFirst())
        inserted.append(contentsOf: line[at...])
        return inserted
    }

    /// The first index of `pattern` in `bytes`: `memchr` (many bytes at a time) finds each candidate for
    /// one of its bytes, the rest is compared. That byte is its `_` when it has one (`duplicate_of`,
    /// `fetched_at`): rare in text, where the first, a quote, is not.
    static func find(_ pattern: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        let anchor = pattern.firstIndex(of: UInt8(ascii: "_")) ?? 0
        return bytes.withUnsafeBufferPointer { haystack in
            pattern.withUnsafeBufferPointer { needle -> Int? in
                guard let base = haystack.baseAddress, let needleBase = needle.baseAddress else { return nil }
                // Candidate starts run from 0 to `last`; their anchor bytes from `anchor` on.
                let last = haystack.count - needle.count
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start + anchor, Int32(needle[anchor]), last - start + 1) else { return nil }
                    let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base - anchor
                    // Most candidates differ in the byte next to the anchor: no call for them.
                    let next = anchor + 1 < needle.count ? anchor + 1 : 0
                    if base[at + next] == needleBase[next], memcmp(base + at, needleBase, needle.count) == 0 {
                        return bytes.startIndex + at
                    }
                    start = at + 1
                }
                return nil
            }
        }
    }
}
