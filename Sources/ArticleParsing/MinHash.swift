import NewsModel

/// The `minhash` fingerprint (``MinHashSketch``): one-permutation MinHash over 5-word shingles of the
/// title and body (Li, Owen and Zhang, 2012). Each shingle is hashed once; the top 6 bits of its hash choose
/// one of 64 bins and the bin keeps its smallest hash. Two texts keep the same shingle in a bin with
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
            var salted = [UInt64](repeating: .max, count: empty.count)
            salted.withUnsafeMutableBufferPointer { salted in
                _ = SimHash.forEachShingle(of: wordHashes, width: MinHashSketch.shingleWidth) { hash in
                    for slot in 0..<empty.count {
                        let value = SimHash.finish(hash ^ salts[empty[slot]]) >> binBits
                        if value < salted[slot] { salted[slot] = value }
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

    /// The hashes of the words of a document's title and dateline, which precede its body's: lower-cased
    /// runs of letters and digits (the body's words come from its tokens; both are hashed the same way).
    static func headingWordHashes(_ document: Document) -> [UInt64] {
        [document.title, document.dateline?.text].compactMap { $0 }.flatMap { text in
            text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map { SimHash.wordHash(String($0)) }
        }
    }
}
