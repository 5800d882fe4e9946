import ArticleParsing

/// Precision, recall and F1 counts of one entity type (or of all).
package struct NERCounts: Sendable {
    package var truePositives = 0
    package var falsePositives = 0
    package var falseNegatives = 0

    package var precision: Double { ratio(truePositives, truePositives + falsePositives) }
    package var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
    package var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    mutating func add(gold: Set<String>, predicted: Set<String>) {
        truePositives += gold.intersection(predicted).count
        falsePositives += predicted.subtracting(gold).count
        falseNegatives += gold.subtracting(predicted).count
    }
}

/// Scores of a labelling against gold, two ways:
/// - mention level, as conlleval counts: a mention counts only with its exact span and type (all four
///   types, MISC included);
/// - document level, as records carry entities: per document, the set of (type, name) of persons,
///   organizations and locations, the name being the mention's words joined by spaces.
package struct NEREvaluation: Sendable {
    package var mentions: [NERType: NERCounts] = [:]
    package var documents: [NERType: NERCounts] = [:]
    /// The document-level errors, by document: names missed and names found that gold does not have.
    package var errors: [NERError] = []

    package init(gold: [CoNLLDocument], predicted: [[Int]]) {
        for (number, (document, labels)) in zip(gold, predicted).enumerated() {
            var goldMentions: [NERType: Set<String>] = [:]
            var predictedMentions: [NERType: Set<String>] = [:]
            var goldNames: [NERType: Set<String>] = [:]
            var predictedNames: [NERType: Set<String>] = [:]
            func collect(_ labels: [Int], mentions: inout [NERType: Set<String>], names: inout [NERType: Set<String>]) {
                for sentence in document.sequence.sentences {
                    for span in NERLabel.spans(labels[sentence]) {
                        let range = (span.range.lowerBound + sentence.lowerBound)..<(span.range.upperBound + sentence.lowerBound)
                        mentions[span.type, default: []].insert("\(range.lowerBound):\(range.upperBound)")
                        names[span.type, default: []].insert(range.map { document.sequence.form($0) }.joined(separator: " "))
                    }
                }
            }
            collect(document.labels, mentions: &goldMentions, names: &goldNames)
            collect(labels, mentions: &predictedMentions, names: &predictedNames)
            for type in NERType.allCases where type != .misc {
                let gold = goldNames[type] ?? []
                let found = predictedNames[type] ?? []
                for name in found.subtracting(gold).sorted() { errors.append(NERError(document: number, type: type, name: name, missed: false)) }
                for name in gold.subtracting(found).sorted() { errors.append(NERError(document: number, type: type, name: name, missed: true)) }
            }
            for type in NERType.allCases {
                mentions[type, default: NERCounts()].add(gold: goldMentions[type] ?? [], predicted: predictedMentions[type] ?? [])
                if type != .misc {
                    documents[type, default: NERCounts()].add(gold: goldNames[type] ?? [], predicted: predictedNames[type] ?? [])
                }
            }
        }
    }

    /// The counts of several types together (micro-averaged).
    package static func total(_ counts: [NERType: NERCounts]) -> NERCounts {
        counts.values.reduce(into: NERCounts()) {
            $0.truePositives += $1.truePositives
            $0.falsePositives += $1.falsePositives
            $0.falseNegatives += $1.falseNegatives
        }
    }

    /// Mention-level F1 over all four types.
    package var mentionF1: Double { Self.total(mentions).f1 }
    /// Document-level F1 over persons, organizations and locations.
    package var documentF1: Double { Self.total(documents).f1 }
}

/// A document-level error: a (type, name) gold has and the labelling missed, or the other way round.
package struct NERError: Sendable {
    package var document: Int
    package var type: NERType
    package var name: String
    package var missed: Bool
}
