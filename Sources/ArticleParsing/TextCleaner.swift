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
            return out.finish()
        }
        return simple ? result : nil
    }

    /// The result being written by ``fastClean(_:)``: white space collapsed to single inner spaces, dropped
    /// characters left out. A space is written as soon as it is met (unless one was just written, or nothing
    /// yet), and a last trailing one taken back by ``finish()``.
    private struct Output {
        let buffer: UnsafeMutableBufferPointer<UInt8>
        var count = 0
        /// Whether a space may not be written now: nothing written yet, or a space last.
        var atSpace = true

        /// The length of the result, trailing space removed.
        mutating func finish() -> Int {
            if count > 0, buffer[count - 1] == 0x20 { count -= 1 }
            return count
        }

        /// Copies the run of printable ASCII (other than `&`) and single spaces starting at `index`, most of
        /// any text, eight bytes at a time where it can, and leaves `index` at the first byte that needs a
        /// closer look. This loop is where cleaning spends its time.
        @inline(__always)
        mutating func copyPlainRun(_ bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) {
            guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
            var position = index
            var written = count
            var space = atSpace
            while true {
                while position + 8 <= bytes.count, written + 8 <= buffer.count {
                    let raw = UnsafeRawPointer(source + position).loadUnaligned(as: UInt64.self)
                    let word = UInt64(littleEndian: raw)
                    guard Self.isPlain(word, afterSpace: space) else { break }
                    UnsafeMutableRawPointer(target + written).storeBytes(of: raw, as: UInt64.self)
                    position += 8
                    written += 8
                    space = word >> 56 == 0x20
                }
                guard position < bytes.count, written < buffer.count else { break }
                let byte = source[position]
                if byte == 0x20 {
                    if !space {
                        target[written] = 0x20
                        written += 1
                        space = true
                    }
                } else if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "&") {
                    target[written] = byte
                    written += 1
                    space = false
                } else {
                    break
                }
                position += 1
            }
            index = position
            count = written
            atSpace = space
        }

        /// Whether eight bytes (the first in the low bits) can be copied as they are: printable ASCII
        /// other than `&`, or spaces, no two spaces together, and no space first right after a space.
        @inline(__always)
        static func isPlain(_ word: UInt64, afterSpace: Bool) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            // A byte below 0x20 (control), or 0x7F and above (DEL, not ASCII).
            if (word &- ones &* 0x20) & ~word & highs != 0 || ((word &+ ones) | word) & highs != 0 { return false }
            // A byte that is `&`.
            let ampersands = word ^ (ones &* 0x26)
            if (ampersands &- ones) & ~ampersands & highs != 0 { return false }
            // Exactly the spaces: the high bit of each byte that is 0x20.
            let spaceBits = word ^ (ones &* 0x20)
            let spaces = ~(((spaceBits & lows) &+ lows) | spaceBits | lows)
            if spaces & (spaces >> 8) != 0 { return false }
            return !(afterSpace && spaces & 0x80 != 0)
        }

        /// Takes one scalar (`value`) written as `encoded`; `false` when only the full path can clean it
        /// (a character NFC could change, or a result longer than its input).
        @inline(__always)
        mutating func take<Bytes: Collection<UInt8>>(_ value: UInt32, _ encoded: Bytes) -> Bool {
            if TextCleaner.isSpace(value) {
                guard atSpace || count < buffer.count else { return false }
                if !atSpace {
                    buffer[count] = 0x20
                    count += 1
                    atSpace = true
                }
                return true
            }
            if TextCleaner.isDropped(value) { return true }
            if value >= 0x300, !(0x2002...0x20CF).contains(value) {
                guard let scalar = Unicode.Scalar(value), !TextCleaner.mayChangeUnderNFC(scalar) else { return false }
            }
            guard count + encoded.count <= buffer.count else { return false }
            for byte in encoded {
                buffer[count] = byte
                count += 1
            }
            atSpace = false
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
    static func cleanScalars<S: StringProtocol>(_ line: S) -> String {
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
