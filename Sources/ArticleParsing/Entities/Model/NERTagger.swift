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
    ///
    /// Two passes. The first sums, for every token, the weights that do not depend on the labels chosen:
    /// the window's form rows, the form's document row and the position rows. Its tokens are
    /// independent, so the rows of many forms are read from memory at once. The second pass chooses the
    /// labels left to right, adding the history rows (a few kilobytes, in cache).
    package func labels(_ document: NERDocument) -> [Int] {
        let sequence = document.sequence
        let tokenCount = sequence.tokens.count
        var fixed = [Int32](repeating: 0, count: tokenCount * Self.stride)
        fixed.withUnsafeMutableBufferPointer { fixedWeights(document, into: $0) }
        var result = [Int](repeating: NERLabel.outside, count: tokenCount)
        var history = NERHistory(words: document.lowerCount)
        let tokens = sequence.tokens
        let labels = NERModel.labels
        fixed.withUnsafeBufferPointer { fixed in
            model.dense.withUnsafeBufferPointer { dense in
                guard let fixed = fixed.baseAddress, let dense = dense.baseAddress else { return }
                for sentence in sequence.sentences {
                    var previous = NERLabel.start
                    var beforePrevious = NERLabel.start
                    for index in sentence {
                        let form = Int(tokens[index])
                        var sum = Self.load(fixed + index * Self.stride)
                        var tail = fixed[index * Self.stride + 16]
                        // The history: the two previous labels, earlier mentions of the word, the previous
                        // label with the token's case.
                        @inline(__always)
                        func add(_ row: Int) {
                            sum &+= Self.load(dense + row)
                            tail &+= dense[row + 16]
                        }
                        add((NERModel.Dense.previousTwo + beforePrevious * (NERLabel.start + 1) + previous) * labels)
                        add((NERModel.Dense.history + history.value(document, form: form)) * labels)
                        add((NERModel.Dense.previousCase + previous * 8 + document.cases[form].rawValue) * labels)
                        // The best label allowed here, the first of equals.
                        let allowedRow = previous * 3 + document.closing(after: index, in: sentence).rawValue
                        let scores = sum.replacing(with: .min, where: .!Self.allowedMasks[allowedRow])
                        let bestScore = scores.max()
                        var best = NERLabel.outside
                        if tail > bestScore && Self.allowedTails[allowedRow] {
                            best = 16
                        } else {
                            for label in 0..<16 where scores[label] == bestScore {
                                best = label
                                break
                            }
                        }
                        result[index] = best
                        history.record(best, document: document, form: form)
                        beforePrevious = previous
                        previous = best
                    }
                }
            }
        }
        return result
    }

    /// Each token's score row is 17 weights, padded to 20 so every row starts 16-byte aligned.
    private static let stride = 20

    @inline(__always)
    private static func load(_ row: UnsafePointer<Int32>) -> SIMD16<Int32> {
        UnsafeRawPointer(row).loadUnaligned(as: SIMD16<Int32>.self)
    }

    @inline(__always)
    private static func load(_ row: UnsafePointer<Int16>) -> SIMD16<Int32> {
        SIMD16<Int32>(truncatingIfNeeded: UnsafeRawPointer(row).loadUnaligned(as: SIMD16<Int16>.self))
    }

    /// The first pass: per token, the sum of the weights that do not depend on the labels chosen.
    private func fixedWeights(_ document: NERDocument, into fixed: UnsafeMutableBufferPointer<Int32>) {
        let labels = NERModel.labels
        let rowLength = NERModel.windowSize * labels
        let sequence = document.sequence
        // Per form: where its row is, in the model's vocabulary rows (>= 0) or in `local` (-1 - offset);
        // and its row of document features.
        var formRows = [Int](repeating: 0, count: sequence.forms.count)
        var documentRows = [Int](repeating: 0, count: sequence.forms.count)
        var local: [Int16] = []
        var sums = [Int32](repeating: 0, count: rowLength)
        var scratch: [UInt64] = []
        for form in sequence.forms.indices {
            if let known = model.vocabularyID(sequence.forms[form], hash: sequence.hashes[form]) {
                formRows[form] = Int(known) * rowLength
            } else {
                for index in sums.indices { sums[index] = 0 }
                let found = model.classes.classes(of: document.lowers[form])
                for (slot, offset) in NERFeatures.window.enumerated() {
                    scratch.removeAll(keepingCapacity: true)
                    NERFeatures.formKeys(sequence.forms[form], lower: document.lowers[form], facts: sequence.facts[form], offset: offset,
                                         classes: found, known: !model.classes.isEmpty, into: &scratch)
                    sums.withUnsafeMutableBufferPointer { sums in
                        guard let base = sums.baseAddress else { return }
                        model.add(scratch, into: base + slot * labels)
                    }
                }
                formRows[form] = -1 - local.count
                let shift = model.rowShift
                local.append(contentsOf: sums.lazy.map { Int16(clamping: $0 >> shift) })
            }
            let written = document.cases[form]
            let seen = written != .lower && written != .other && document.seenLowercase(form: form)
            documentRows[form] = (NERModel.Dense.document + (document.usualCase(form: form) * 8 + written.rawValue) * 2 + (seen ? 1 : 0)) * labels
        }
        let tokens = sequence.tokens
        let shift = SIMD16<Int32>(repeating: model.rowShift)
        model.vocabularyRows.withUnsafeBufferPointer { vocabulary in
            local.withUnsafeBufferPointer { local in
                model.paddingRows.withUnsafeBufferPointer { padding in
                    model.dense.withUnsafeBufferPointer { dense in
                        guard let padding = padding.baseAddress, let dense = dense.baseAddress, let out = fixed.baseAddress else { return }
                        // A form's row: the vocabulary's or the document's own (which exists if a form needed it).
                        func formRow(_ form: Int32) -> UnsafePointer<Int16>? {
                            let row = formRows[Int(form)]
                            return row >= 0 ? vocabulary.baseAddress.map { $0 + row } : local.baseAddress.map { $0 + (-1 - row) }
                        }
                        for (number, sentence) in sequence.sentences.enumerated() {
                            let headline = document.capitalsSentence[number]
                            for index in sentence {
                                let form = Int(tokens[index])
                                var sum = SIMD16<Int32>(repeating: 0)
                                var tail: Int32 = 0
                                // The window's five form rows, each at its offset's column.
                                for (slot, offset) in NERFeatures.window.enumerated() {
                                    let position = index + offset
                                    let row = sentence.contains(position) ? formRow(tokens[position]) : padding
                                    guard let row else { continue }
                                    let column = row + slot * labels
                                    sum &+= Self.load(column)
                                    tail &+= Int32(column[16])
                                }
                                // The form rows are shifted; the dense rows are not.
                                sum &<<= shift
                                tail &<<= model.rowShift
                                @inline(__always)
                                func add(_ row: Int) {
                                    sum &+= Self.load(dense + row)
                                    tail &+= dense[row + 16]
                                }
                                add(documentRows[form])
                                if index == sentence.lowerBound {
                                    add((NERModel.Dense.sentenceStart + document.cases[form].rawValue) * labels)
                                }
                                if headline {
                                    add((NERModel.Dense.capitalsSentence + document.usualCase(form: form)) * labels)
                                }
                                let phrase = Int(document.placePhrases[index])
                                if phrase != 0 { add((NERModel.Dense.placePhrase + phrase) * labels) }
                                let target = out + index * Self.stride
                                UnsafeMutableRawPointer(target).storeBytes(of: sum, as: SIMD16<Int32>.self)
                                target[16] = tail
                            }
                        }
                    }
                }
            }
        }
    }

    /// ``NERLabel/allowedTable`` as masks over the first 16 labels, and for the 17th.
    private static let allowedRows = (NERLabel.start + 1) * NERLabel.Closing.allCases.count
    private static let allowedMasks: [SIMDMask<SIMD16<Int32>>] = (0..<allowedRows).map { row in
        var mask = SIMDMask<SIMD16<Int32>>()
        for label in 0..<16 { mask[label] = NERLabel.allowedTable[row * NERLabel.count + label] }
        return mask
    }
    private static let allowedTails: [Bool] = (0..<allowedRows).map { NERLabel.allowedTable[$0 * NERLabel.count + 16] }
}
