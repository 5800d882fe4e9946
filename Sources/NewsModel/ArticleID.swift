/// A stable content identifier: the same raw bytes always give the same id, on any host, in any process.
///
/// 64 bits of FNV-1a over the bytes, finished with the MurmurHash3 `fmix64` avalanche, written as 16
/// lowercase hex digits. It is the sink's dedupe key: an article delivered twice is written once.
public struct ArticleID: Hashable, Sendable, CustomStringConvertible {
    /// The 64-bit value.
    public let value: UInt64

    /// The id of these raw bytes.
    public init<Bytes: Sequence>(contentOf bytes: Bytes) where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        self.value = Self.finish(hash)
    }

    /// The id of an array of raw bytes: the same value as the generic form, without its per-byte overhead
    /// (the generic one is not specialized across modules).
    public init(contentOf bytes: [UInt8]) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        self.value = Self.finish(hash)
    }

    private static func finish(_ fnv: UInt64) -> UInt64 {
        var hash = fnv
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// Parses 16 hex digits; `nil` for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.value = value
    }

    /// 16 lowercase hex digits, zero-padded.
    public var description: String { Hex.format(value) }
}

/// Fixed-width lowercase hex formatting for 64-bit values.
public enum Hex {
    /// `value` as exactly 16 lowercase hex digits.
    public static func format(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `value` as exactly 8 lowercase hex digits, appended to `bytes` (a checksum on every journal line).
    public static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 28, through: 0, by: -4) {
            let digit = UInt8((value >> UInt32(shift)) & 0xF)
            bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
        }
    }
}
