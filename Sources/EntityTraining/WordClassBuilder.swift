import ArticleParsing
import Foundation

/// Learns word classes from unlabeled news: each frequent word is described by the words seen just
/// before and after it (positive pointwise mutual information over the most frequent context words),
/// that description is projected to 128 dimensions with a seeded random projection, and k-means on
/// the unit sphere groups the words, once finely and once coarsely.
///
/// Deterministic: tokens are counted in file order, ties broken by the words' bytes, the projection and
/// the starting centroids drawn from a seeded generator, sums taken in a fixed order.
package struct WordClassBuilder {
    package struct Options: Sendable {
        package var minimumCount = 4
        package var maximumWords = 60_000
        package var contextWords = 1_000
        package var dimensions = 128
        package var fineClasses = 400
        package var coarseClasses = 50
        package var iterations = 12
        package var seed: UInt64 = 7
        package init() {}
    }

    let options: Options
    private var counts: [String: Int] = [:]
    /// Written forms as they come, for the model's vocabulary of precomputed forms.
    private var formCounts: [String: Int] = [:]
    private var sentences: [[String]] = []
    /// Unlabeled tokens read.
    package private(set) var tokenCount = 0

    package init(options: Options) {
        self.options = options
    }

    /// Adds a sentence of written tokens (lowercased here).
    package mutating func add(sentence: [String]) {
        for form in sentence { formCounts[form, default: 0] += 1 }
        let lowers = sentence.map(NERFeatures.lowercase)
        for word in lowers { counts[word, default: 0] += 1 }
        tokenCount += lowers.count
        sentences.append(lowers)
    }

    /// Adds the text of a file: `.sgm` (Reuters SGML: the `<BODY>`s), `.json` (every long string value),
    /// anything else as plain text; paragraphs split at blank lines.
    package mutating func add(file path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw CoNLLError(description: "cannot read \(path)") }
        var texts: [String] = []
        let text = String(decoding: data, as: UTF8.self)
        if path.hasSuffix(".sgm") {
            var rest = Substring(text)
            while let open = rest.range(of: "<BODY>"), let close = rest.range(of: "</BODY>", range: open.upperBound..<rest.endIndex) {
                texts.append(String(rest[open.upperBound..<close.lowerBound])
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&"))
                rest = rest[close.upperBound...]
            }
        } else if path.hasSuffix(".json") {
            func strings(_ value: Any) {
                if let string = value as? String, string.utf8.count > 200 { texts.append(string) }
                if let array = value as? [Any] { array.forEach(strings) }
                if let object = value as? [String: Any] {
                    for key in object.keys.sorted() { if let item = object[key] { strings(item) } }
                }
            }
            strings(try JSONSerialization.jsonObject(with: data))
        } else {
            texts.append(text)
        }
        for text in texts {
            let paragraphs = text.components(separatedBy: "\n\n").map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }
            for sentence in LearnedSpans.sentences(paragraphs: paragraphs) { add(sentence: sentence) }
        }
    }

    /// Adds every file under a folder (or the file itself), in path order.
    package mutating func add(path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CoNLLError(description: "no such file or folder: \(path)") }
        guard isFolder.boolValue else { return try add(file: path) }
        let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".txt") || $0.hasSuffix(".sgm") || $0.hasSuffix(".json") }
            .sorted()
        for file in files { try add(file: (path as NSString).appendingPathComponent(file)) }
    }

    /// Written forms seen at least `minimum` times: frequent enough in news that the model sums their
    /// weights once, at load, instead of in every article that has them.
    package func frequentForms(minimum: Int) -> [String] {
        formCounts.filter { $0.value >= minimum }.keys.sorted(by: Self.byBytes)
    }

    private static func byBytes(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(b.utf8) }

    /// The classes of the frequent words.
    package func build() -> NERWordClasses {
        let ranked = counts.filter { $0.value >= options.minimumCount }
            .sorted { $0.value != $1.value ? $0.value > $1.value : Self.byBytes($0.key, $1.key) }
        let words = ranked.prefix(options.maximumWords).map(\.key)
        guard words.count > options.fineClasses else { return NERWordClasses() }
        var wordIDs: [String: Int] = [:]
        for (id, word) in words.enumerated() { wordIDs[word] = id }
        let contexts = min(options.contextWords, words.count)
        // Co-occurrence counts: per word, left contexts [0, C], right contexts [C + 1, 2C + 1] (C: other).
        let width = 2 * (contexts + 1)
        var pairs: [Int: Float] = [:]
        var wordTotals = [Float](repeating: 0, count: words.count)
        var contextTotals = [Float](repeating: 0, count: width)
        for sentence in sentences {
            let ids = sentence.map { wordIDs[$0] ?? -1 }
            for (position, id) in ids.enumerated() where id >= 0 {
                let left = position > 0 ? min(ids[position - 1] < 0 ? contexts : ids[position - 1], contexts) : contexts
                let right = position + 1 < ids.count ? min(ids[position + 1] < 0 ? contexts : ids[position + 1], contexts) : contexts
                for context in [left, contexts + 1 + right] {
                    pairs[id * width + context, default: 0] += 1
                    wordTotals[id] += 1
                    contextTotals[context] += 1
                }
            }
        }
        let total = wordTotals.reduce(0, +)
        // Random ±1 projection of each context, from the seed.
        let dimensions = options.dimensions
        var generator = SplitMix64(seed: options.seed)
        var projection = [Float](repeating: 0, count: width * dimensions)
        for index in projection.indices { projection[index] = generator.next() & 1 == 0 ? -1 : 1 }
        var vectors = [Float](repeating: 0, count: words.count * dimensions)
        for key in pairs.keys.sorted() {
            guard let count = pairs[key] else { continue }
            let word = key / width
            let context = key % width
            let pmi = log(count * total / (wordTotals[word] * contextTotals[context]))
            guard pmi > 0 else { continue }
            for dimension in 0..<dimensions {
                vectors[word * dimensions + dimension] += pmi * projection[context * dimensions + dimension]
            }
        }
        Self.normalize(&vectors, dimensions: dimensions)
        let fine = kMeans(vectors, count: words.count, dimensions: dimensions, clusters: options.fineClasses, generator: &generator)
        let coarse = kMeans(vectors, count: words.count, dimensions: dimensions, clusters: options.coarseClasses, generator: &generator)
        var table: [String: NERWordClasses.Classes] = [:]
        for (id, word) in words.enumerated() {
            table[word] = NERWordClasses.Classes(fine: UInt16(fine[id]), coarse: UInt16(coarse[id]))
        }
        return NERWordClasses(table)
    }

    private static func normalize(_ vectors: inout [Float], dimensions: Int) {
        let count = vectors.count / dimensions
        vectors.withUnsafeMutableBufferPointer { buffer in
            for row in 0..<count {
                var norm: Float = 0
                for dimension in 0..<dimensions { norm += buffer[row * dimensions + dimension] * buffer[row * dimensions + dimension] }
                let scale = norm > 0 ? 1 / norm.squareRoot() : 0
                for dimension in 0..<dimensions { buffer[row * dimensions + dimension] *= scale }
            }
        }
    }

    /// Spherical k-means; returns each vector's cluster.
    private func kMeans(_ vectors: [Float], count: Int, dimensions: Int, clusters: Int,
                        generator: inout SplitMix64) -> [Int] {
        var centroids = [Float](repeating: 0, count: clusters * dimensions)
        var chosen = Set<Int>()
        var cluster = 0
        while cluster < clusters {
            let pick = Int(generator.next() % UInt64(count))
            guard chosen.insert(pick).inserted else { continue }
            for dimension in 0..<dimensions { centroids[cluster * dimensions + dimension] = vectors[pick * dimensions + dimension] }
            cluster += 1
        }
        var assignment = [Int](repeating: 0, count: count)
        for _ in 0..<options.iterations {
            vectors.withUnsafeBufferPointer { vectors in
                centroids.withUnsafeBufferPointer { centroids in
                    for row in 0..<count {
                        var best = 0
                        var bestScore = -Float.infinity
                        let vector = UnsafeBufferPointer(rebasing: vectors[(row * dimensions)..<((row + 1) * dimensions)])
                        for candidate in 0..<clusters {
                            let centroid = UnsafeBufferPointer(rebasing: centroids[(candidate * dimensions)..<((candidate + 1) * dimensions)])
                            var score: Float = 0
                            for dimension in 0..<dimensions { score += vector[dimension] * centroid[dimension] }
                            if score > bestScore {
                                best = candidate
                                bestScore = score
                            }
                        }
                        assignment[row] = best
                    }
                }
            }
            var sums = [Float](repeating: 0, count: clusters * dimensions)
            for row in 0..<count {
                for dimension in 0..<dimensions { sums[assignment[row] * dimensions + dimension] += vectors[row * dimensions + dimension] }
            }
            Self.normalize(&sums, dimensions: dimensions)
            for candidate in 0..<clusters where sums[candidate * dimensions..<(candidate + 1) * dimensions].contains(where: { $0 != 0 }) {
                for dimension in 0..<dimensions { centroids[candidate * dimensions + dimension] = sums[candidate * dimensions + dimension] }
            }
        }
        return assignment
    }
}
