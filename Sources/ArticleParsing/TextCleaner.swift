import Foundation

/// Line-level normalization: character references decoded, control and zero-width characters dropped,
/// every run of white space (including no-break and other Unicode spaces) made one space, Unicode NFC.
/// Typographic quotes and dashes are kept as written.
enum TextCleaner {
    /// The cleaned line, trimmed at both ends.
    static func clean<S: StringProtocol>(_ line: S) -> String {
        if isAlreadyClean(line.utf8) { return String(line) }
        var copy = String(line)
        return copy.withUTF8 { fastClean($0) } ?? cleanScalars(line)
    }

    /// The cleaned text of UTF-8 bytes (valid UTF-8: decoded text's bytes), trimmed at both ends.
    static func clean(bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBufferPointer { fastClean($0) } ?? cleanScalars(String(decoding: bytes, as: UTF8.self))
    }

    /// One pass over the bytes, written straight into the result, that does the whole job for text without
    /// character references and without characters NFC could change: nearly all news text. `nil` when
    /// the text needs the full path.
    private static func fastClean(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var simple = true
        let result = String(unsafeUninitializedCapacity: bytes.count) { buffer in
            var out = Output(buffer: buffer)
            var index = 0
            while index < bytes.count {
                out.copyPlainRun(bytes, from: &index)
                guard index < bytes.count else { break }
                let byte = bytes[index]
                if byte < 0x80 {
                    index += 1
                    if byte == UInt8(ascii: "&"), let (decoded, length) = reference(in: bytes, at: index - 1) {
                        // The reference's text, cleaned like any other (`&nbsp;` is a space).
                        index += length - 1
                        for scalar in decoded.unicodeScalars {
                            guard out.take(scalar.value, Array(String(scalar).utf8)[...]) else {
                                simple = false
                                return 0
                            }
                        }
                    } else if !out.take(UInt32(byte), CollectionOfOne(byte)) {
                        simple = false
                        return 0
                    }
                    continue
                }
                // A multi-byte sequence: decode its scalar to classify it.
                let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                guard width > 1, index + width <= bytes.count else {
                    simple = false
                    return 0
                }
                var value = UInt32(byte) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
                for offset in 1..<width { value = value << 6 | (UInt32(bytes[index + offset]) & 0x3F) }
                let start = index
                index += width
                guard out.take(value, bytes[start..<index]) else {
                    simple = false
                    return 0
                }
            }
            return out.count
        }
        return simple ? result : nil
    }

    /// The result being written by ``fastClean(_:)``: white space collapsed to single inner spaces, dropped
    /// characters left out.
    private struct Output {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0
        var pendingSpace = false

        /// Copies the run of printable ASCII (other than `&`) and plain spaces starting at `index`, most
        /// of any text, and leaves `index` at the first byte that needs a closer look. State is kept in
        /// locals for the run: this loop is where cleaning spends its time.
        @inline(__always)
        mutating func copyPlainRun(_ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) {
            var position = index
            var written = count
            var space = pendingSpace
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x20 {
                    space = written > 0
                } else if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "&") {
                    if space {
                        buffer[written] = 0x20
                        written += 1
                        space = false
                    }
                    buffer[written] = byte
                    written += 1
                } else {
                    break
                }
                position += 1
            }
            index = position
            count = written
            pendingSpace = space
        }

        /// Takes one scalar (`value`) written as `encoded`; `false` when only the full path can clean it
        /// (a character NFC could change).
        @inline(__always)
        mutating func take<Bytes: Collection<UInt8>>(_ value: UInt32, _ encoded: Bytes) -> Bool {
            if TextCleaner.isSpace(value) {
                pendingSpace = count > 0
                return true
            }
            if TextCleaner.isDropped(value) { return true }
            if value >= 0x300, !(0x2002...0x20CF).contains(value) {
                guard let scalar = Unicode.Scalar(value), !TextCleaner.mayChangeUnderNFC(scalar) else { return false }
            }
            if pendingSpace {
                buffer[count] = 0x20
                count += 1
                pendingSpace = false
            }
            for byte in encoded {
                buffer[count] = byte
                count += 1
            }
            return true
        }
    }

    /// The character reference starting with the `&` at `index` (its text and length in bytes), if it is
    /// one: a name or number and `;` within the next 12 bytes, as ``HTMLEntities`` reads them.
    private static func reference(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (String, Int)? {
        let limit = min(bytes.count, index + 13)
        var semicolon = index + 1
        while semicolon < limit, bytes[semicolon] != UInt8(ascii: ";") { semicolon += 1 }
        guard semicolon < limit else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
        guard let text = HTMLEntities.reference(name[...]) else { return nil }
        return (text, semicolon - index + 1)
    }

    /// The full path: references decoded, then scalar by scalar, then NFC where it may change anything.
    private static func cleanScalars<S: StringProtocol>(_ line: S) -> String {
        let decoded = HTMLEntities.decode(String(line))
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(decoded.utf8.count)
        var pendingSpace = false
        var mayNeedNFC = false
        for scalar in decoded.unicodeScalars {
            let value = scalar.value
            if isSpace(value) {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if isDropped(value) { continue }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            if value >= 0x300, !mayNeedNFC { mayNeedNFC = Self.mayChangeUnderNFC(scalar) }
            scalars.append(scalar)
        }
        let text = String(scalars)
        // Normalizing is costly and almost never changes news text: only text with combining marks,
        // Hangul jamo or the few singleton characters NFC replaces can change.
        return mayNeedNFC ? text.precomposedStringWithCanonicalMapping : text
    }

    /// Plain ASCII with single inner spaces, no references and no control characters: nothing to do.
    private static func isAlreadyClean<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        var previousSpace = true
        for byte in bytes {
            if byte == 0x20 {
                if previousSpace { return false }
                previousSpace = true
            } else if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "&") {
                previousSpace = false
            } else {
                return false
            }
        }
        return !previousSpace
    }

    /// Whether the line is empty once cleaned (only white space or dropped characters).
    static func isBlank<S: StringProtocol>(_ line: S) -> Bool {
        if line.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) { return false }
        return line.unicodeScalars.allSatisfy { isSpace($0.value) || isDropped($0.value) }
    }

    /// ``isBlank(_:)`` on UTF-8 bytes.
    static func isBlank(bytes: ArraySlice<UInt8>) -> Bool {
        var sawOther = false
        for byte in bytes {
            if byte > 0x20 && byte < 0x7F { return false }
            if byte >= 0x80 { sawOther = true }
        }
        return !sawOther || isBlank(String(decoding: bytes, as: UTF8.self))
    }

    /// ``indentation(_:)`` on UTF-8 bytes.
    static func indentation(bytes: ArraySlice<UInt8>) -> Int {
        var width = 0
        for byte in bytes {
            if byte == 0x20 { width += 1 } else if byte == 0x09 { width += 4 } else { break }
        }
        return width
    }

    /// Leading white space width (tabs count 4), for indentation-marked paragraphs.
    static func indentation<S: StringProtocol>(_ line: S) -> Int {
        var width = 0
        for scalar in line.unicodeScalars {
            if scalar == " " { width += 1 } else if scalar == "\t" { width += 4 } else { break }
        }
        return width
    }

    private static func mayChangeUnderNFC(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x11FF, 0x3131...0x318E, 0x0340, 0x0341, 0x0343, 0x0344, 0x0374, 0x037E, 0x0387, 0x1F71...0x1FFD,
            0x2000, 0x2001, 0x2126, 0x212A, 0x212B, 0x2329, 0x232A, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return scalar.properties.canonicalCombiningClass != .notReordered
        }
    }

    private static func isSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
            0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    private static func isDropped(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200D, 0x2060, 0xFEFF, 0xFFFE, 0xFFFF, 0xAD:
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces (ASCII space only; cleaned text has no other).
    var trimmingSpaces: String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
