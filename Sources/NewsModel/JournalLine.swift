import Foundation

/// One line of the fetcher's journal (`journal/segment-*.jsonl`): a raw article as one JSON object whose
/// last member is `"crc32"`, the CRC-32 of the line's bytes before `,"crc32"`. A line whose checksum does
/// not match was torn or corrupted on disk and is never delivered.
///
/// ```
/// {"body":"...","fetched_at":"...","id":"...","name":"a.txt","seq":42,"source":{...},"crc32":"1a2b3c4d"}
/// ```
/// Bodies that are not UTF-8 text are stored as `body_base64`.
public enum JournalLine {
    struct Record: Codable {
        var seq: UInt64
        var id: String
        var source: SourceRef
        var fetchedAt: String
        var name: String?
        var body: String?
        var bodyBase64: String?
        var deadLetterReason: String?

        enum CodingKeys: String, CodingKey {
            case seq, id, source, name, body
            case fetchedAt = "fetched_at"
            case bodyBase64 = "body_base64"
            case deadLetterReason = "dead_letter_reason"
        }
    }

    private static let marker = Array(",\"crc32\":\"".utf8)

    /// The line for `raw`, without the newline.
    public static func encode(_ raw: RawArticle) throws -> [UInt8] {
        // Written directly (keys sorted, as the Record's Codable form reads them back).
        var json = JSONWriter(capacity: raw.body.count + 512)
        json.beginObject()
        // Checked in place: a `String` of the body would be one more copy of every article.
        if (try? UTF8Span(validating: raw.body.span)) != nil {
            json.key("body")
            raw.body.withUnsafeBufferPointer { json.string(validUTF8: $0) }
        } else {
            json.key("body_base64")
            json.string(Data(raw.body).base64EncodedString())
        }
        raw.writeProvenance(into: &json)
        json.endObject()
        // Taken from the writer, not copied: the line is changed below.
        var line = json.finished()
        guard line.last == UInt8(ascii: "}") else { throw JournalLineError("encoder gave no JSON object") }
        line.removeLast()
        let crc = CRC32.checksum(line)
        line += marker
        Hex.append(crc, to: &line)
        line.append(UInt8(ascii: "\""))
        line.append(UInt8(ascii: "}"))
        return line
    }

    /// The line's content before `,"crc32"` when its checksum matches, or why it does not.
    private static func verified(_ line: ArraySlice<UInt8>) -> Result<ArraySlice<UInt8>, JournalLineError> {
        // `,"crc32":"xxxxxxxx"}` is the last 20 bytes.
        let suffixLength = marker.count + 8 + 2
        guard line.count > suffixLength else { return .failure(JournalLineError("line too short to hold a checksum")) }
        let markerStart = line.endIndex - suffixLength
        guard line[markerStart..<(markerStart + marker.count)].elementsEqual(marker),
              line.last == UInt8(ascii: "}"),
              let stored = UInt32(String(decoding: line[(markerStart + marker.count)..<(line.endIndex - 2)], as: UTF8.self), radix: 16)
        else { return .failure(JournalLineError("no checksum at the end of the line")) }
        let content = line[line.startIndex..<markerStart]
        guard CRC32.checksum(content) == stored else { return .failure(JournalLineError("checksum mismatch")) }
        return .success(content)
    }

    private static let sequenceKey = Array(",\"seq\":".utf8)

    /// The sequence number of a sound line without decoding the rest of it (recovery skips acknowledged
    /// lines this way); `nil` when the line is damaged or does not read as written. The top-level `"seq"`
    /// is the last `,"seq":` of the line (sorted keys put only `source` after it, and inside strings the
    /// quote would be escaped).
    public static func sequence(_ line: ArraySlice<UInt8>) -> UInt64? {
        guard case .success(let content) = verified(line), content.count > sequenceKey.count else { return nil }
        var index = content.endIndex - sequenceKey.count
        while index >= content.startIndex {
            if content[index] == UInt8(ascii: ","), content[index..<(index + sequenceKey.count)].elementsEqual(sequenceKey) {
                var value: UInt64 = 0
                var position = index + sequenceKey.count
                var digits = 0
                while position < content.endIndex, content[position] >= 0x30, content[position] <= 0x39, digits < 19 {
                    value = value * 10 + UInt64(content[position] - 0x30)
                    position += 1
                    digits += 1
                }
                return digits > 0 && position < content.endIndex && content[position] == UInt8(ascii: ",") ? value : nil
            }
            index -= 1
        }
        return nil
    }

    /// The raw article in a line, or why the line cannot be trusted.
    public static func decode(_ line: ArraySlice<UInt8>) -> Result<RawArticle, JournalLineError> {
        let content: ArraySlice<UInt8>
        switch verified(line) {
        case .success(let value): content = value
        case .failure(let error): return .failure(error)
        }
        let json = Array(content) + [UInt8(ascii: "}")]
        guard let record = try? JSONDecoder().decode(Record.self, from: Data(json)) else {
            return .failure(JournalLineError("checksum matches but the record does not decode"))
        }
        let body: [UInt8]
        if let text = record.body {
            body = Array(text.utf8)
        } else if let encoded = record.bodyBase64, let data = Data(base64Encoded: encoded) {
            body = Array(data)
        } else {
            body = []
        }
        return .success(RawArticle(
            id: record.id, seq: record.seq, source: record.source, fetchedAt: record.fetchedAt, name: record.name,
            body: body, deadLetterReason: record.deadLetterReason))
    }
}

/// Why a journal line was refused.
public struct JournalLineError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
