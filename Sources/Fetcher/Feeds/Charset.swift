import Foundation

/// Pages arrive in whatever encoding their server chose. Articles travel as UTF-8 where the encoding is
/// known: a byte-order mark first, then valid UTF-8 as it is, then the charset of the `Content-Type` header
/// or of the page's own `<meta>`. Latin-1 and Windows-1252 pages are left as they came: the parser reads
/// bytes that are not UTF-8 as Windows-1252 (a superset of Latin-1's printable characters) and says so.
enum Charset {
    static func utf8(_ data: Data, contentType: String?) -> [UInt8] {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || String(validating: bytes, as: UTF8.self) != nil { return bytes }
        let declared = contentType.flatMap(charset(inHeader:)) ?? charset(inMeta: bytes)
        guard let declared, let encoding = encodings[declared], let text = String(data: data, encoding: encoding) else {
            return bytes
        }
        return Array(text.utf8)
    }

    /// Encodings worth converting here; Latin-1 and Windows-1252 are left to the parser.
    private static let encodings: [String: String.Encoding] = [
        "windows-1251": .windowsCP1251, "cp1251": .windowsCP1251, "windows-1250": .windowsCP1250,
        "cp1250": .windowsCP1250, "windows-1253": .windowsCP1253, "windows-1254": .windowsCP1254,
        "iso-8859-2": .isoLatin2, "latin2": .isoLatin2, "shift_jis": .shiftJIS, "shift-jis": .shiftJIS,
        "sjis": .shiftJIS, "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP, "utf-16": .utf16,
        "utf-16le": .utf16LittleEndian, "utf-16be": .utf16BigEndian,
    ]

    /// `text/html; charset=Windows-1251` → `windows-1251`.
    static func charset(inHeader value: String) -> String? {
        for part in value.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
            }
        }
        return nil
    }

    /// `<meta charset="...">` or `<meta http-equiv="Content-Type" content="...; charset=...">` in the
    /// first 4 KB.
    static func charset(inMeta bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(4096).map { $0 >= 0x80 ? 0x20 : $0 }, as: UTF8.self).lowercased()
        guard let range = head.range(of: "charset=") else { return nil }
        let value = head[range.upperBound...].drop { $0 == "\"" || $0 == "'" || $0 == " " }
            .prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return value.isEmpty ? nil : String(value)
    }
}
