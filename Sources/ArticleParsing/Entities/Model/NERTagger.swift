/// The types earlier tokens of a document were given, per word: the "extended prediction history" of
/// Ratinov & Roth, which keeps a name's later mentions consistent with its first ones.
package struct NERHistory {
    private var counts: [UInt16]

    package init(words: Int) {
        counts = [UInt16](repeating: 0, count: words * 4)
    }

    /// 0 when the word was never given a type, else 1 + the type it was given most (capitalized and
    /// capitals forms only: lower-case words are not names).
    package func value(_ document: NERDocument, form: Int) -> Int {
        let written = document.cases[form]
        guard written == .capitalized || written == .capitals else { return 0 }
        let base = document.lowerID(form: form) * 4
        var best = 0
        var bestCount: UInt16 = 0
        for type in 0..<4 where counts[base + type] > bestCount {
            best = type + 1
            bestCount = counts[base + type]
        }
        return best
    }

    /// Notes the label a token of `form` was given.
    package mutating func record(_ label: Int, document: NERDocument, form: Int) {
        guard let type = NERLabel.type(of: label) else { return }
        counts[document.lowerID(form: form) * 4 + type.rawValue] &+= 1
    }
}

/// Greedy left-to-right tagging with a trained model: each token takes the best label that may follow
/// the previous one, given its features and the labels already chosen. Feature weights that depend
/// only on a form are summed once per form of the document (and at load for frequent forms), so each
/// token costs a few additions of 17-float rows.
package struct NERTagger: Sendable {
    package let model: NERModel

    package init(model: NERModel) {
        self.model = model
    }

    /// The BILOU label of every token of `sequence`.
    package func labels(_ sequence: NERSequence) -> [Int] {
        labels(NERDocument(sequence, classes: model.classes))
    }

    /// The BILOU label of every token of `document` (analysed with this model's word classes).
    package func labels(_ document: NERDocument) -> [Int] {
        let labels = NERModel.labels
        let window = NERModel.windowSize
        let sequence = document.sequence
        let formCount = sequence.forms.count
        // Per form: the window rows, then the document row.
        let stride = (window + 1) * labels
        var formWeights = [Float](repeating: 0, count: formCount * stride)
        var scratch: [UInt64] = []
        for form in 0..<formCount {
            let base = form * stride
            if let known = model.vocabularyID(sequence.forms[form]) {
                let source = Int(known) * window * labels
                model.vocabularyWeights.withUnsafeBufferPointer { rows in
                    formWeights.withUnsafeMutableBufferPointer { weights in
                        for index in 0..<(window * labels) { weights[base + index] = Float(rows[source + index]) }
                    }
                }
            } else {
                let found = model.classes.classes(of: document.lowers[form])
                for (slot, offset) in NERFeatures.window.enumerated() {
                    scratch.removeAll(keepingCapacity: true)
                    NERFeatures.formKeys(sequence.forms[form], lower: document.lowers[form], facts: sequence.facts[form], offset: offset,
                                         classes: found, known: !model.classes.isEmpty, into: &scratch)
                    for key in scratch { model.add(key, into: &formWeights, at: base + slot * labels) }
                }
            }
            // The document features (``NERFeatures/documentKeys``), from their dense rows.
            let written = document.cases[form]
            let documentBase = base + window * labels
            let caseBase = (document.usualCase(form: form) * 8 + written.rawValue) * labels
            for label in 0..<labels { formWeights[documentBase + label] += model.documentCaseWeights[caseBase + label] }
            if written != .lower, written != .other, document.seenLowercase(form: form) {
                for label in 0..<labels { formWeights[documentBase + label] += model.seenLowercaseWeights[written.rawValue * labels + label] }
            }
        }
        var result = [Int](repeating: NERLabel.outside, count: sequence.tokens.count)
        var history = NERHistory(words: document.lowerCount)
        var scores = [Float](repeating: 0, count: labels)
        let tokens = sequence.tokens
        let allowed = NERLabel.allowedTable
        for sentence in sequence.sentences {
            var previous = NERLabel.start
            var beforePrevious = NERLabel.start
            let headline = document.capitalsSentence[document.sentenceOf(sentence.lowerBound)]
            for index in sentence {
                let form = Int(tokens[index])
                // Ten rows of 17 weights summed: the window's five forms, the document's row, and the
                // history's (previous label, the two previous, earlier mentions, previous label and case).
                let documentRow = form * stride + window * labels
                let previousRow = previous * labels
                let twoRow = (beforePrevious * (NERLabel.start + 1) + previous) * labels
                let historyRow = history.value(document, form: form) * labels
                let caseRow = (previous * 8 + document.cases[form].rawValue) * labels
                var sum = SIMD16<Float>(repeating: 0)
                var tail: Float = 0
                @inline(__always)
                func add(_ weights: UnsafeBufferPointer<Float>, _ base: Int) {
                    sum += SIMD16<Float>(weights[base..<(base + 16)])
                    tail += weights[base + 16]
                }
                formWeights.withUnsafeBufferPointer { forms in
                    model.paddingWeights.withUnsafeBufferPointer { padding in
                        for (slot, offset) in NERFeatures.window.enumerated() {
                            let position = index + offset
                            if sentence.contains(position) {
                                add(forms, Int(tokens[position]) * stride + slot * labels)
                            } else {
                                add(padding, slot * labels)
                            }
                        }
                        add(forms, documentRow)
                    }
                }
                model.previousWeights.withUnsafeBufferPointer { add($0, previousRow) }
                model.previousTwoWeights.withUnsafeBufferPointer { add($0, twoRow) }
                model.historyWeights.withUnsafeBufferPointer { add($0, historyRow) }
                model.previousCaseWeights.withUnsafeBufferPointer { add($0, caseRow) }
                for label in 0..<16 { scores[label] = sum[label] }
                scores[16] = tail
                // The position features (``NERFeatures/positionKeys``), from their dense rows.
                if index == sentence.lowerBound {
                    let base = document.cases[form].rawValue * labels
                    for label in 0..<labels { scores[label] += model.sentenceStartWeights[base + label] }
                }
                if headline {
                    let base = document.usualCase(form: form) * labels
                    for label in 0..<labels { scores[label] += model.capitalsSentenceWeights[base + label] }
                }
                let phrase = Int(document.placePhrases[index])
                if phrase != 0 {
                    for label in 0..<labels { scores[label] += model.placePhraseWeights[phrase * labels + label] }
                }
                let allowedBase = (previous * 2 + (index == sentence.upperBound - 1 ? 1 : 0)) * labels
                var best = NERLabel.outside
                var bestScore = -Float.infinity
                for label in 0..<labels where scores[label] > bestScore && allowed[allowedBase + label] {
                    best = label
                    bestScore = scores[label]
                }
                result[index] = best
                history.record(best, document: document, form: form)
                beforePrevious = previous
                previous = best
            }
        }
        return result
    }
}
