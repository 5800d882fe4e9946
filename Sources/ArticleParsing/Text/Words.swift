/// Word tokens of a text: maximal runs of letters, digits, and inner apostrophes or hyphens.
enum Words {
    static func tokens(_ text: String) -> [Substring] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiTokens(text) }
        var tokens: [Substring] = []
        var start: String.Index? = nil
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWordCharacter = character.isLetter || character.isNumber
                || ((character == "'" || character == "’" || character == "-") && start != nil)
            if isWordCharacter {
                if start == nil { start = index }
            } else if let begin = start {
                tokens.append(trimmed(text[begin..<index]))
                start = nil
            }
            index = text.index(after: index)
        }
        if let begin = start { tokens.append(trimmed(text[begin...])) }
        return tokens.filter { !$0.isEmpty }
    }

    /// The same rules on ASCII text, byte by byte.
    private static func asciiTokens(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var tokens: [Substring] = []
        var start: String.Index? = nil
        var index = utf8.startIndex
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        }
        while index < utf8.endIndex {
            let byte = utf8[index]
            let isWordByte = isAlphanumeric(byte)
                || ((byte == UInt8(ascii: "'") || byte == UInt8(ascii: "-")) && start != nil)
            if isWordByte {
                if start == nil { start = index }
            } else if let begin = start {
                tokens.append(trimmed(text[begin..<index]))
                start = nil
            }
            index = utf8.index(after: index)
        }
        if let begin = start { tokens.append(trimmed(text[begin...])) }
        return tokens.filter { !$0.isEmpty }
    }

    /// Hands `body` the lowercased UTF-8 bytes of each token of ASCII `text` (the rules of
    /// ``tokens(_:)``) without building Substrings; `false`, with nothing handed, when `text` is not ASCII.
    static func forEachLowercasedASCIIToken(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(1, bytes.count)) { lowered in
                func isAlphanumeric(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 }
                func emit(_ start: Int, _ end: Int) {
                    var end = end
                    while end > start, bytes[end - 1] == UInt8(ascii: "'") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
                    guard end > start else { return }
                    for index in start..<end {
                        let byte = bytes[index]
                        lowered[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte
                    }
                    body(UnsafeBufferPointer(rebasing: lowered[start..<end]))
                }
                var start: Int? = nil
                for (index, byte) in bytes.enumerated() {
                    if isAlphanumeric(byte) || ((byte == UInt8(ascii: "'") || byte == UInt8(ascii: "-")) && start != nil) {
                        if start == nil { start = index }
                    } else if let begin = start {
                        emit(begin, index)
                        start = nil
                    }
                }
                if let begin = start { emit(begin, bytes.count) }
            }
            return true
        }
    }

    private static func trimmed(_ word: Substring) -> Substring {
        var word = word
        while let last = word.last, last == "'" || last == "’" || last == "-" { word = word.dropLast() }
        return word
    }
}
