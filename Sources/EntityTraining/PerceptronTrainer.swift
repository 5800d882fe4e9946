import ArticleParsing

/// Trains the entity model: an averaged linear model over greedy left-to-right decoding, with the model's
/// own previous decisions as history features (as it will see them when tagging). Its updates are
/// passive-aggressive (Crammer et al., 2006) unless the plain perceptron is asked for.
///
/// Deterministic: documents are shuffled by a seeded generator, features get their rows in the order
/// they are met, and the file is written in key order; the same files and options give the same bytes.
package struct PerceptronTrainer {
    package struct Options: Sendable {
        package var epochs = 15
        package var seed: UInt64 = 1
        /// Features seen on fewer tokens than this are left out of the model.
        package var minimumCount = 1
        /// Forms seen this often or more have their form weights summed at load.
        package var vocabularyCount = 1
        /// More forms to precompute at load: the frequent forms of unlabeled news.
        package var frequentForms: [String] = []
        package var name = "en-conll2003"
        /// Share of training tokens (per mille) whose own word and lowercase are hidden from the model
        /// in an epoch, so that it learns to recognize names from their shape, affixes, classes and
        /// context too, not only from having seen them.
        package var wordDropout = 0
        package var update = Update.passiveAggressive

        package init() {}
    }

    /// How the weights move on a token.
    package enum Update: String, Sendable, CaseIterable {
        /// Whenever the gold label does not beat every other allowed label by a margin of 1, by just
        /// enough to make it do so: the step is the margin missed over twice the token's feature count,
        /// once up for the gold label and once down for its strongest rival.
        case passiveAggressive = "passive-aggressive"
        /// On a mistake only, by 1 up for the gold label and 1 down for the label chosen.
        case perceptron
    }

    let options: Options
    private var rows: [UInt64: Int32] = [:]
    private var keys: [UInt64] = []
    private var counts: [Int32] = []
    private var weights: [Float] = []
    /// Sum over updates of (update time x change): the averaged weight is `weights - totals / time`.
    private var totals: [Double] = []
    private var time = 1

    /// The word classes the features read (learned before training).
    let classes: NERWordClasses

    package init(options: Options, classes: NERWordClasses = NERWordClasses()) {
        self.options = options
        self.classes = classes
    }

    private mutating func row(_ key: UInt64, count: Bool) -> Int32 {
        if let row = rows[key] {
            if count { counts[Int(row)] += 1 }
            return row
        }
        let row = Int32(keys.count)
        rows[key] = row
        keys.append(key)
        counts.append(count ? 1 : 0)
        weights.append(contentsOf: repeatElement(0, count: NERLabel.count))
        totals.append(contentsOf: repeatElement(0, count: NERLabel.count))
        return row
    }

    private struct Prepared {
        var document: NERDocument
        var labels: [Int]
        /// Per token, its static feature rows: `features[starts[i]..<starts[i + 1]]`.
        var features: [Int32]
        var starts: [Int32]
    }

    /// Forms seen often enough in training to have their weights summed at load.
    private var vocabulary: [String] = []
    /// Tokens trained on.
    package private(set) var tokenCount = 0

    /// Trains on `documents`; after each epoch, `report` gets the epoch number and the averaged model's
    /// bytes with a provisional meta (to score it on held-out data). ``model(meta:)`` writes the result.
    package mutating func train(_ documents: [CoNLLDocument], report: (Int, [UInt8]) -> Void) throws(NERModelError) {
        var prepared: [Prepared] = []
        var formCounts: [String: Int] = [:]
        for document in documents {
            let analysed = NERDocument(document.sequence, classes: classes)
            var features: [Int32] = []
            var starts: [Int32] = [0]
            for sentence in document.sequence.sentences {
                for index in sentence {
                    let form = Int(document.sequence.tokens[index])
                    let identity: Set<UInt64> = [NERFeatures.key(.word, 0, document.sequence.forms[form]),
                                                 NERFeatures.key(.lower, 0, analysed.lowers[form])]
                    var hidden: [Int32] = []
                    for key in NERFeatures.staticKeys(analysed, token: index, sentence: sentence) {
                        let found = row(key, count: true)
                        if identity.contains(key) { hidden.append(found) } else { features.append(found) }
                    }
                    // The word's own features last, so that hiding them is ending the list early.
                    features += hidden
                    starts.append(Int32(features.count))
                    formCounts[document.sequence.form(index), default: 0] += 1
                }
            }
            tokenCount += document.sequence.tokens.count
            prepared.append(Prepared(document: analysed, labels: document.labels, features: features, starts: starts))
        }
        let histories = 0...NERLabel.start
        let previousRows = histories.map { row(NERFeatures.key(.previous, 0, $0), count: false) }
        let twoRows = histories.flatMap { before in histories.map { row(NERFeatures.key(.previousTwo, 0, before * 32 + $0), count: false) } }
        let historyRows = (0...NERType.allCases.count).map { row(NERFeatures.key(.history, 0, $0), count: false) }
        let caseRows = histories.flatMap { previous in (0..<8).map { row(NERFeatures.key(.previousCase, 0, previous * 8 + $0), count: false) } }
        vocabulary = Set(formCounts.filter { $0.value >= options.vocabularyCount }.keys).union(options.frequentForms)
            .sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }

        var generator = SplitMix64(seed: options.seed)
        var order = Array(prepared.indices)
        let labelCount = NERLabel.count
        var scores = [Float](repeating: 0, count: labelCount)
        for epoch in 1...max(1, options.epochs) {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
            for number in order {
                let item = prepared[number]
                var history = NERHistory(words: item.document.lowerCount)
                let tokens = item.document.sequence.tokens
                for sentence in item.document.sequence.sentences {
                    var previous = NERLabel.start
                    var beforePrevious = NERLabel.start
                    for index in sentence {
                        let form = Int(tokens[index])
                        let dynamic = [previousRows[previous], twoRows[beforePrevious * (NERLabel.start + 1) + previous],
                                       historyRows[history.value(item.document, form: form)],
                                       caseRows[previous * 8 + item.document.cases[form].rawValue]]
                        var end = Int(item.starts[index + 1])
                        if options.wordDropout > 0, Int(generator.next() % 1000) < options.wordDropout { end -= 2 }
                        let features = item.features[Int(item.starts[index])..<end]
                        for label in 0..<labelCount { scores[label] = 0 }
                        for feature in features.lazy.map(Int.init) + dynamic.lazy.map(Int.init) {
                            let base = feature * labelCount
                            for label in 0..<labelCount { scores[label] += weights[base + label] }
                        }
                        let last = index == sentence.upperBound - 1
                        var best = NERLabel.outside
                        var bestScore = -Float.infinity
                        for label in 0..<labelCount where scores[label] > bestScore && NERLabel.allowed(label, after: previous, last: last) {
                            best = label
                            bestScore = scores[label]
                        }
                        let gold = item.labels[index]
                        var rival = best
                        var step: Float = best == gold ? 0 : 1
                        if options.update == .passiveAggressive {
                            var rivalScore = -Float.infinity
                            for label in 0..<labelCount where label != gold && scores[label] > rivalScore
                                && NERLabel.allowed(label, after: previous, last: last) {
                                rival = label
                                rivalScore = scores[label]
                            }
                            let missed = 1 - (scores[gold] - rivalScore)
                            step = rival != gold && missed > 0 ? missed / Float(2 * (features.count + dynamic.count)) : 0
                        }
                        if step > 0 {
                            let stamp = Double(time) * Double(step)
                            for feature in features.lazy.map(Int.init) + dynamic.lazy.map(Int.init) {
                                let base = feature * labelCount
                                weights[base + gold] += step
                                totals[base + gold] += stamp
                                weights[base + rival] -= step
                                totals[base + rival] -= stamp
                            }
                        }
                        time += 1
                        history.record(best, document: item.document, form: form)
                        beforePrevious = previous
                        previous = best
                    }
                }
            }
            report(epoch, try model(meta: "{}"))
        }
    }

    /// The averaged weights, pruned of rare features and of those that averaged to nothing, as a file.
    package func model(meta: String) throws(NERModelError) -> [UInt8] {
        let labelCount = NERLabel.count
        var keptKeys: [UInt64] = []
        var keptWeights: [Float] = []
        let now = Double(time)
        for (row, key) in keys.enumerated() where counts[row] == 0 || Int(counts[row]) >= options.minimumCount {
            let base = row * labelCount
            let averaged = (0..<labelCount).map { Float(Double(weights[base + $0]) - totals[base + $0] / now) }
            guard averaged.contains(where: { abs($0) > 1e-3 }) else { continue }
            keptKeys.append(key)
            keptWeights.append(contentsOf: averaged)
        }
        return try NERModel.serialize(name: options.name, meta: meta, keys: keptKeys, weights: keptWeights,
                                      vocabulary: vocabulary, classes: classes)
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same shuffles on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
