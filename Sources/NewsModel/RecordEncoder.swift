import Foundation

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

/// Finds the value of the top-level `"id"` of a record line written by ``RecordEncoder`` without decoding
/// the whole line. Sorted keys put no object with an `id` key before it, and string contents escape `"`,
/// so the first `"id":"` is the top-level key.
public enum RecordLine {
    private static let marker = Array("\"id\":\"".utf8)

    /// The id, or `nil` if the line has none.
    public static func id(in line: ArraySlice<UInt8>) -> String? {
        guard line.count > marker.count else { return nil }
        var index = line.startIndex
        let last = line.endIndex - marker.count
        while index <= last {
            if line[index] == marker[0], line[index..<(index + marker.count)].elementsEqual(marker) {
                let start = index + marker.count
                guard let end = line[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                return String(decoding: line[start..<end], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }
}
