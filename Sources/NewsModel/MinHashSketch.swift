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
    public init?(text: ArraySlice<UInt8>) {
        guard text.count == Self.prefix.count + Self.count * 4, text.starts(with: Self.prefix) else { return nil }
        let parsed = text.withUnsafeBufferPointer { bytes -> SIMD64<UInt16>? in
            var values = SIMD64<UInt16>()
            var invalid: UInt16 = 0
            var position = Self.prefix.count
            for bin in 0..<Self.count {
                // Four digits; a byte that is not one sets the high bit of its table entry.
                let value = Self.digits[Int(bytes[position])] << 12 | Self.digits[Int(bytes[position + 1])] << 8
                    | Self.digits[Int(bytes[position + 2])] << 4 | Self.digits[Int(bytes[position + 3])]
                invalid |= Self.digits[Int(bytes[position])] | Self.digits[Int(bytes[position + 1])]
                    | Self.digits[Int(bytes[position + 2])] | Self.digits[Int(bytes[position + 3])]
                values[bin] = value
                position += 4
            }
            return invalid & 0x100 == 0 ? values : nil
        }
        guard let parsed else { return nil }
        self.values = parsed
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

    /// Byte -> its value as a lowercase hex digit, or 0x100 when it is not one.
    private static let digits: [UInt16] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(byte) - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(byte) - 87
        default: 0x100
        }
    }
}
