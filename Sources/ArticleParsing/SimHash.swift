/// Charikar's simhash over word 3-shingles: near-copies of a story differ in few of the 64 bits.
enum SimHash {
    /// The fingerprint of `words` (already lowercased).
    static func fingerprint<Word: StringProtocol>(_ words: [Word]) -> UInt64 {
        guard !words.isEmpty else { return 0 }
        var weights = [Int](repeating: 0, count: 64)
        let width = min(3, words.count)
        for start in 0...(words.count - width) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for word in words[start..<(start + width)] {
                for byte in word.utf8 {
                    hash ^= UInt64(byte)
                    hash &*= 0x0000_0100_0000_01b3
                }
                hash ^= 0x20
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= hash >> 33
            hash &*= 0xff51_afd7_ed55_8ccd
            hash ^= hash >> 33
            for bit in 0..<64 {
                weights[bit] += (hash >> UInt64(bit)) & 1 == 1 ? 1 : -1
            }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where weights[bit] > 0 { result |= 1 << UInt64(bit) }
        return result
    }

    /// Number of differing bits.
    static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
}
