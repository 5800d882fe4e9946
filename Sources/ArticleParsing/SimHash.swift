/// Charikar's simhash over word 3-shingles: near-copies of a story differ in few of the 64 bits.
enum SimHash {
    /// The fingerprint of a text given as vocabulary ids: each distinct word is hashed once.
    static func fingerprint(words: [Int32], vocabulary: [String]) -> UInt64 {
        guard !words.isEmpty else { return 0 }
        var wordHashes = [UInt64](repeating: 0, count: vocabulary.count)
        var known = [Bool](repeating: false, count: vocabulary.count)
        var shingles: [UInt64] = []
        shingles.reserveCapacity(words.count)
        let width = min(3, words.count)
        for start in 0...(words.count - width) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for id in words[start..<(start + width)] {
                let index = Int(id)
                if !known[index] {
                    wordHashes[index] = wordHash(vocabulary[index])
                    known[index] = true
                }
                hash = (hash ^ wordHashes[index]) &* 0x0000_0100_0000_01b3
                hash ^= hash >> 29
            }
            shingles.append(finish(hash))
        }
        return vote(shingles)
    }

    private static func wordHash(_ word: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return finish(hash)
    }

    private static func finish(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// Bit voting: bit i of the result is set when most shingle hashes have it set.
    private static func vote(_ hashes: [UInt64]) -> UInt64 {
        var weights = [Int32](repeating: 0, count: 64)
        for hash in hashes {
            for bit in 0..<64 { weights[bit] &+= Int32(truncatingIfNeeded: (hash >> UInt64(bit)) & 1) }
        }
        let half = Int32(hashes.count)
        var result: UInt64 = 0
        for bit in 0..<64 where weights[bit] * 2 > half { result |= 1 << UInt64(bit) }
        return result
    }
}
