import NewsModel

/// The `minhash` fingerprint (``MinHashSketch``): one-permutation MinHash over 5-word shingles of the
/// title, dateline and body (Li, Owen and Zhang, 2012). Each shingle is hashed once; the top 6 bits of its
/// hash choose one of 64 bins and the bin keeps its smallest hash. Two texts keep the same shingle in a bin with
/// probability equal to the Jaccard similarity of their shingle sets, so the share of equal values
/// estimates it, at the cost of one hash per shingle (a simhash costs 64 votes per shingle).
///
/// A short text leaves bins empty. Such a bin takes the smallest of its own salted hash over all the
/// text's shingles instead (a classic MinHash value, again equal in two texts with probability J): the
/// usual fix, copying a filled bin's value, makes values of a short text move together, and two templated
/// one-paragraph stories of Jaccard 0.35 then agreed on two values in three.
enum MinHash {
    /// The sketch of a text given as its words' hashes (``SimHash/wordHashes(words:vocabulary:)``), title
    /// words first; `nil` when there is no word.
    static func sketch(wordHashes: [UInt64]) -> MinHashSketch? {
        guard !wordHashes.isEmpty else { return nil }
        let bins = MinHashSketch.count
        let binBits = UInt64(bins.trailingZeroBitCount)
        var smallest = [UInt64](repeating: .max, count: bins)
        smallest.withUnsafeMutableBufferPointer { smallest in
            _ = SimHash.forEachShingle(of: wordHashes, width: MinHashSketch.shingleWidth) { hash in
                let bin = Int(hash >> (64 - binBits))
                let rest = hash & (.max >> binBits)
                if rest < smallest[bin] { smallest[bin] = rest }
            }
        }
        let empty = (0..<bins).filter { smallest[$0] == .max }
        if !empty.isEmpty {
            // One multiply per shingle and empty bin: shingle hashes are already mixed, so a salted
            // multiply orders them independently for each bin.
            let emptySalts = empty.map { salts[$0] }
            var salted = [UInt64](repeating: .max, count: empty.count)
            salted.withUnsafeMutableBufferPointer { salted in
                emptySalts.withUnsafeBufferPointer { emptySalts in
                    _ = SimHash.forEachShingle(of: wordHashes, width: MinHashSketch.shingleWidth) { hash in
                        for slot in 0..<emptySalts.count {
                            let value = (hash ^ emptySalts[slot]) &* 0x9E37_79B9_7F4A_7C15
                            if value < salted[slot] { salted[slot] = value }
                        }
                    }
                }
            }
            for (slot, bin) in empty.enumerated() { smallest[bin] = salted[slot] }
        }
        var values = SIMD64<UInt16>()
        for bin in 0..<bins {
            values[bin] = UInt16(truncatingIfNeeded: SimHash.finish(smallest[bin] ^ salts[bin]))
        }
        return MinHashSketch(values: values)
    }

    /// One salt per bin (splitmix64 of the bin's number).
    private static let salts: [UInt64] = (0..<UInt64(MinHashSketch.count)).map { bin in
        var value = (bin &+ 1) &* 0x9E37_79B9_7F4A_7C15
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// The hashes of the words of a document's title and dateline, which precede its body's: runs of ASCII
    /// letters and digits, lower-cased, and of any non-ASCII character (the body's words come from its
    /// tokens; both are hashed as ``SimHash/wordHash(_:)`` hashes a word).
    static func headingWordHashes(_ document: Document) -> [UInt64] {
        var hashes: [UInt64] = []
        for var text in [document.title, document.dateline?.text].compactMap({ $0 }) {
            text.withUTF8 { bytes in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                var inWord = false
                for byte in bytes {
                    let lower = byte | 0x20
                    let isWordByte = byte >= 0x80 || (byte >= 0x30 && byte <= 0x39) || (lower >= 0x61 && lower <= 0x7A)
                    if isWordByte {
                        hash ^= UInt64(byte >= 0x41 && byte <= 0x5A ? lower : byte)
                        hash &*= 0x0000_0100_0000_01b3
                        inWord = true
                    } else if inWord {
                        hashes.append(SimHash.finish(hash))
                        hash = 0xcbf2_9ce4_8422_2325
                        inWord = false
                    }
                }
                if inWord { hashes.append(SimHash.finish(hash)) }
            }
        }
        return hashes
    }
}
