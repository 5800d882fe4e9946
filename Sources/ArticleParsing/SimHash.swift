/// Charikar's simhash over word 3-shingles: near-copies of a story differ in few of the 64 bits.
enum SimHash {
    /// The hash of each word of a text given as vocabulary ids, in text order: each distinct word is
    /// hashed once. Shared by both fingerprints.
    static func wordHashes(words: [Int32], vocabulary: [String]) -> [UInt64] {
        var hashes = [UInt64](repeating: 0, count: vocabulary.count)
        var known = [Bool](repeating: false, count: vocabulary.count)
        for id in words where !known[Int(id)] {
            known[Int(id)] = true
            hashes[Int(id)] = wordHash(vocabulary[Int(id)])
        }
        return words.map { hashes[Int($0)] }
    }

    /// The fingerprint of a text given as the hashes of its words (``wordHashes(words:vocabulary:)``).
    static func fingerprint(wordHashes hashes: [UInt64]) -> UInt64 {
        guard !hashes.isEmpty else { return 0 }
        // Each shingle's hash votes as soon as it is made (no array of shingle hashes).
        var votes = Votes()
        let count = forEachShingle(of: hashes, width: 3) { votes.add($0) }
        return votes.result(of: count)
    }

    /// Calls `body` with the hash of every run of `width` words (of all of them when there are fewer);
    /// returns how many there were.
    @inline(__always)
    static func forEachShingle(of hashes: [UInt64], width: Int, _ body: (UInt64) -> Void) -> Int {
        guard !hashes.isEmpty else { return 0 }
        let width = min(width, hashes.count)
        let count = hashes.count - width + 1
        hashes.withUnsafeBufferPointer { hashes in
            for start in 0..<count {
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for offset in 0..<width {
                    hash = (hash ^ hashes[start + offset]) &* 0x0000_0100_0000_01b3
                    hash ^= hash >> 29
                }
                body(finish(hash))
            }
        }
        return count
    }

    static func wordHash(_ word: String) -> UInt64 {
        var word = word
        return word.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            return finish(hash)
        }
    }

    static func finish(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// Bit voting: bit i of the result is set when most shingle hashes have it set. Counted eight bits at
    /// a time: each byte of a hash adds a table entry that holds its eight bits in eight byte-wide lanes,
    /// emptied into the totals before a lane can overflow.
    private struct Votes {
        var weights = [Int](repeating: 0, count: 64)
        var lanes = [UInt64](repeating: 0, count: 8)
        var pending = 0

        mutating func add(_ hash: UInt64) {
            for byte in 0..<8 { lanes[byte] &+= spread[Int((hash >> UInt64(byte * 8)) & 0xFF)] }
            pending += 1
            if pending == 255 { flush() }
        }

        mutating func flush() {
            for byte in 0..<8 {
                for bit in 0..<8 { weights[byte * 8 + bit] += Int((lanes[byte] >> UInt64(bit * 8)) & 0xFF) }
                lanes[byte] = 0
            }
            pending = 0
        }

        /// The fingerprint of `count` votes.
        mutating func result(of count: Int) -> UInt64 {
            flush()
            var result: UInt64 = 0
            for bit in 0..<64 where weights[bit] * 2 > count { result |= 1 << UInt64(bit) }
            return result
        }
    }

    /// Byte value -> its eight bits, one per byte lane (bit i in lane i as 0 or 1).
    private static let spread: [UInt64] = (0..<256).map { (value: Int) -> UInt64 in
        var lanes: UInt64 = 0
        for bit in 0..<8 where (value >> bit) & 1 == 1 { lanes |= 1 << UInt64(bit * 8) }
        return lanes
    }
}
