/// The learned model's entity spans over a tokenized body, as ranges of the text's tokens.
///
/// The model was trained on CoNLL's tokens, which differ from the tokenizer's in two places: a
/// possessive is a token of its own (`Reagan 's`), and an abbreviation or an initial keeps its closing
/// period (`U.S.`, `Banc One Corp.`, `A. Hollioake`, `John F. Kennedy`). The text's tokens are cut the
/// same way before tagging, and the spans mapped back.
package enum LearnedSpans {
    package struct Span {
        package var tokens: Range<Int>
        package var type: NERType
    }

    /// The model's tokens and labels for paragraphs of plain text, sentence by sentence: what
    /// `newsflow ner tag` shows.
    package static func labelled(paragraphs: [String], tagger: NERTagger) -> [[(form: String, label: String)]] {
        let (sequence, _) = sequence(TokenizedText(paragraphs: paragraphs))
        let labels = tagger.labels(sequence)
        return sequence.sentences.map { sentence in sentence.map { (sequence.form($0), NERLabel.name(labels[$0])) } }
    }

    /// The model's tokens of plain paragraphs, sentence by sentence (to learn word classes from
    /// unlabeled text cut as tagging cuts it).
    package static func sentences(paragraphs: [String]) -> [[String]] {
        let (sequence, _) = sequence(TokenizedText(paragraphs: paragraphs))
        return sequence.sentences.map { sentence in sentence.map { sequence.form($0) } }
    }

    static func find(_ text: TokenizedText, tagger: NERTagger) -> [Span] {
        let (sequence, origins) = sequence(text)
        let possessive = sequence.id(of: "'s") ?? -1
        let labels = tagger.labels(sequence)
        var spans: [Span] = []
        for sentence in sequence.sentences {
            for span in NERLabel.spans(labels[sentence]) {
                let first = origins[sentence.lowerBound + span.range.lowerBound]
                let last = origins[sentence.lowerBound + span.range.upperBound - 1]
                // A span of the possessive ending alone is no name.
                if span.range.count == 1, sequence.tokens[sentence.lowerBound + span.range.lowerBound] == possessive { continue }
                spans.append(Span(tokens: first.lowerBound..<max(first.lowerBound + 1, last.upperBound), type: span.type))
            }
        }
        return spans
    }

    /// The model's tokens of a text, and for each the text's tokens it came from.
    private static func sequence(_ text: TokenizedText) -> (NERSequence, [Range<Int>]) {
        let tokens = text.tokens
        var sequence = NERSequence()
        sequence.reserve(forms: text.forms.count + 8, tokens: tokens.count + tokens.count / 16)
        // Per model token: the text tokens it came from.
        var origins: [Range<Int>] = []
        origins.reserveCapacity(tokens.count + tokens.count / 16)
        // The text has lowercased and looked up each word already: its vocabulary ids are the model's
        // lowercase ids, and lowercase words it lacks (punctuation, possessive stems) get ids after them.
        var formIDs = [Int32](repeating: -1, count: text.forms.count)
        var plainIDs = [Int32](repeating: -1, count: text.forms.count)
        var otherLowerIDs: [String: Int32] = [:]
        func lowerID(_ lower: String) -> Int32 {
            if let id = text.vocabularyID(of: lower) ?? otherLowerIDs[lower] { return id }
            let id = Int32(text.vocabulary.count + otherLowerIDs.count)
            otherLowerIDs[lower] = id
            return id
        }
        func modelForm(_ form: String) -> Int32 {
            if let id = sequence.id(of: form) { return id }
            let lower = NERFeatures.lowercase(form)
            return sequence.add(form, lower: lower, lowerID: lowerID(lower), facts: WordFacts.of(word: lower))
        }
        let possessive = modelForm("'s")
        func append(_ form: Int32, _ range: Range<Int>) {
            sequence.append(form: form)
            origins.append(range)
        }
        for sentence in text.sentences {
            var index = sentence.tokens.lowerBound
            while index < sentence.tokens.upperBound {
                // A form met before that is neither an abbreviation, an initial nor a possessive: its model
                // form is known.
                let plain = plainIDs[Int(tokens[index].form)]
                if plain >= 0 {
                    append(plain, index..<(index + 1))
                    index += 1
                    continue
                }
                if text.takesPeriod(index), index + 1 < sentence.tokens.upperBound,
                   text.has(.period, index + 1), !tokens[index + 1].spaceBefore, keepsPeriod(text, index, sentence.tokens) {
                    append(modelForm(text.form(index) + "."), index..<(index + 2))
                    index += 2
                    continue
                }
                let ending = text.possessiveLength(index)
                if ending > 0 {
                    append(modelForm(String(decoding: text.form(index).utf8.dropLast(ending), as: UTF8.self)), index..<(index + 1))
                    append(possessive, index..<(index + 1))
                    index += 1
                    continue
                }
                let id = Int(tokens[index].form)
                if formIDs[id] < 0 {
                    let form = text.form(index)
                    let word = tokens[index].word
                    if word >= 0, text.isASCII(index) {
                        // An ASCII word: the text's lowercase, facts, hash and case are the model's.
                        formIDs[id] = sequence.add(form, lower: text.vocabulary[Int(word)], lowerID: word, facts: text.facts[Int(word)],
                                                   hash: text.formHash(index), written: text.letterCase(index), indexed: false)
                    } else {
                        formIDs[id] = modelForm(straightQuotes(form))
                    }
                }
                append(formIDs[id], index..<(index + 1))
                if !text.takesPeriod(index) { plainIDs[id] = formIDs[id] }
                index += 1
            }
            sequence.endSentence()
        }
        return (sequence, origins)
    }

    /// Whether the abbreviation or initial at `index`, a period right after it, is cut with its period. An
    /// abbreviation that ends a name (`Corp.`, `Calif.`) keeps it unless a capitalized word follows, where
    /// the period may end the sentence too (`said First Boston Corp. New York traders were calm`); an
    /// initial, an honorific or a title keeps it always (`A. Hollioake`, `Gen. Powell`, `St. Louis`).
    private static func keepsPeriod(_ text: TokenizedText, _ index: Int, _ sentence: Range<Int>) -> Bool {
        if text.hasInnerPeriod(index) || text.isInitial(index) || text.has(.honorific, index)
            || Lexicon.namePrefixes.contains(text.lower(index)) {
            return true
        }
        let next = index + 2
        return next >= sentence.upperBound || !(text.tokens[next].isWord && (text.tokens[next].isCapitalized || text.tokens[next].isAllCaps))
    }

    /// Typographic quotation marks as the training data writes them.
    private static func straightQuotes(_ form: String) -> String {
        switch form {
        case "\u{201C}", "\u{201D}", "\u{00AB}", "\u{00BB}": "\""
        case "\u{2018}", "\u{2019}": "'"
        default: form
        }
    }
}
