/// A file in the drop folder as seen at one scan: its name and a fingerprint of its contents' state.
/// A file whose fingerprint changes is a new article.
struct InboxFile: Hashable, Sendable {
    /// The file name within `inbox/`, escaped by ``InboxName`` so any bytes a name may hold survive.
    var name: String
    /// `size:mtime-in-nanoseconds`.
    var fingerprint: String
    /// Why the entry is not taken as an article (a symbolic link out of the folder, a FIFO...), if so.
    /// It is dead-lettered once with this reason.
    var refusal: String? = nil
}

/// File names as newsflow writes them (index, records, logs): the name itself when it is UTF-8 without
/// control characters; otherwise control bytes, `%` and (in names that are not UTF-8) every byte above
/// 0x7F are written `%XX`. The escaping is reversible, so the file can always be opened again.
enum InboxName {
    static func escape(_ bytes: [UInt8]) -> String {
        let valid = String(validating: bytes, as: UTF8.self) != nil
        var plain = true
        for byte in bytes where needsEscape(byte, valid: valid) {
            plain = false
            break
        }
        if plain { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if needsEscape(byte, valid: valid) {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ name: String) -> [UInt8] {
        let bytes = Array(name.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    private static func needsEscape(_ byte: UInt8, valid: Bool) -> Bool {
        byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "%") || (!valid && byte >= 0x80)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
