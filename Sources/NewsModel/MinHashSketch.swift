/// A record's near-duplicate fingerprint (`minhash`): a one-permutation MinHash of its 5-word shingles,
/// 64 values of 16 bits. Two texts whose shingle sets have Jaccard similarity J agree on each value with
/// probability about J, so the share of equal values estimates J (see docs/duplicates.md).
///
/// Written as `1:` and 256 lowercase hex digits; the leading number is the scheme's version, and records
/// of different versions are never compared.
public struct MinHashSketch: Equatable, Sendable {
    /// Values per sketch.
    public static let count = 64
    /// The scheme's version, written before the values.
    public static let version = 1
    /// Words per shingle.
    public static let shingleWidth = 5

    /// The values, in bin order.
    public var values: SIMD64<UInt16>

    /// A sketch of these values.
    public init(values: SIMD64<UInt16>) {
        self.values = values
    }

    private static let prefix = Array("\(version):".utf8)

    /// Parses the written form; `nil` for anything else (another version included).
    public init?(text: some Collection<UInt8>) {
        guard text.count == Self.prefix.count + Self.count * 4, text.starts(with: Self.prefix) else { return nil }
        var values = SIMD64<UInt16>()
        var index = text.index(text.startIndex, offsetBy: Self.prefix.count)
        for bin in 0..<Self.count {
            var value: UInt16 = 0
            for _ in 0..<4 {
                guard let digit = Self.digit(text[index]) else { return nil }
                value = value << 4 | UInt16(digit)
                index = text.index(after: index)
            }
            values[bin] = value
        }
        self.values = values
    }

    /// The written form: `1:` and 256 lowercase hex digits.
    public var text: String {
        var bytes = Self.prefix
        bytes.reserveCapacity(Self.prefix.count + Self.count * 4)
        let digits = Array("0123456789abcdef".utf8)
        for bin in 0..<Self.count {
            let value = values[bin]
            for shift in stride(from: 12, through: 0, by: -4) { bytes.append(digits[Int((value >> UInt16(shift)) & 0xF)]) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func digit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
