/// What kind of document raw text is: a JSON object, an HTML page or plain text.
enum RawFormat: Equatable {
    case json, html, text

    /// Decided by the name's extension first, then by the first bytes (ASCII-lowercased, after white space).
    static func detect(_ text: String, name: String?) -> RawFormat {
        let lowerName = name?.lowercased() ?? ""
        // The head is only worth copying when it may be markup: most text starts with a letter.
        var text = text
        let head: [UInt8] = text.withUTF8 { bytes in
            guard let start = bytes.firstIndex(where: { !($0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D)) }) else { return [] }
            let end = bytes[start] == UInt8(ascii: "<") ? min(bytes.count, start + 512) : start + 1
            return bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
        func starts(_ prefix: String) -> Bool { head.starts(with: prefix.utf8) }
        func contains(_ part: String) -> Bool {
            let needle = Array(part.utf8)
            guard head.count >= needle.count else { return false }
            return (0...(head.count - needle.count)).contains { head[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
        if lowerName.hasSuffix(".json") || starts("{") { return starts("{") ? .json : .text }
        if lowerName.hasSuffix(".html") || lowerName.hasSuffix(".htm") || starts("<!doctype html")
            || starts("<html") || (starts("<") && (contains("<p") || contains("<body")))
        {
            return .html
        }
        return .text
    }
}
