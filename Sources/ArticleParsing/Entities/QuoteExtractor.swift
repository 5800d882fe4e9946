import NewsModel

/// Attributed statements: direct quotes with a speaker next to them (`“…,” she said`, `X said: “…”`),
/// and reported speech (`…, Foreign Minister Elmar Mammadyarov said.`, `Mammadyarov reiterated that …`,
/// `…, according to X.`). Speakers resolve to recognized persons or organizations; `he`/`she` to the
/// last person named before.
struct QuoteExtractor {
    private(set) var quotes: [Quote] = []
    private static let limit = 100
    /// Vocabulary ids of the words the patterns name (-2, which no token has, for a word the text lacks).
    private let according: Int32
    private let to: Int32
    private let that: Int32

    init(text: TokenizedText, entities: EntityRecognizer) {
        according = text.vocabularyID(of: "according") ?? -2
        to = text.vocabularyID(of: "to") ?? -2
        that = text.vocabularyID(of: "that") ?? -2
        let tokens = text.tokens
        for sentence in text.sentences where quotes.count < Self.limit {
            let range = sentence.tokens
            if let quote = direct(range, text: text, entities: entities)
                ?? reported(range, tokens: tokens, text: text, entities: entities) {
                if !quotes.contains(quote) { quotes.append(quote) }
            }
        }
    }

    /// A quoted passage of at least three words with a speaker before or after it in the same sentence.
    private func direct(_ range: Range<Int>, text: TokenizedText, entities: EntityRecognizer) -> Quote? {
        let tokens = text.tokens
        guard let open = range.first(where: { text.has(.openQuote, $0) }),
              let close = range.first(where: { $0 > open + 1 && text.has(.closeQuote, $0) }),
              (open + 1..<close).reduce(0, { $0 + (tokens[$1].isWord ? 1 : 0) }) >= 3
        else { return nil }
        var last = close - 1
        while last > open, tokens[last].kind == .punctuation { last -= 1 }
        guard last > open else { return nil }
        let quoted = text.text(from: open + 1, through: last)
        // After: `,” she said` / `,” said X` / `,” X said`.
        let after = (close + 1)..<min(range.upperBound, close + 10)
        if let verb = after.first(where: { text.has(.speechVerb, $0) }) {
            let speakerRange = verb == close + 1 ? (verb + 1)..<min(after.upperBound, verb + 6) : (close + 1)..<verb
            if let speaker = speaker(in: speakerRange, text: text, entities: entities) {
                return Quote(speaker: speaker, text: quoted)
            }
        }
        // Before: `X said: “…”` or `X said “…”`.
        let before = max(range.lowerBound, open - 10)..<open
        if let verb = before.last(where: { text.has(.speechVerb, $0) }),
           let speaker = speaker(in: before.lowerBound..<verb, text: text, entities: entities) {
            return Quote(speaker: speaker, text: quoted)
        }
        return nil
    }

    /// `<statement>, <speaker> said.`, `<statement>, said <speaker>.`, `<speaker> <verb> that <statement>.`,
    /// `<statement>, according to <speaker>.`
    private func reported(
        _ range: Range<Int>, tokens: [Token], text: TokenizedText, entities: EntityRecognizer
    ) -> Quote? {
        guard range.count >= 6 else { return nil }
        var end = range.upperBound - 1
        while end > range.lowerBound, tokens[end].kind == .punctuation { end -= 1 }
        // `…, according to X.`
        let lastComma = range.last { text.has(.comma, $0) }
        if let comma = lastComma, comma + 2 < end,
           tokens[comma + 1].word == according, tokens[comma + 2].word == to,
           let speaker = speaker(in: (comma + 3)..<(end + 1), text: text, entities: entities) {
            return statement(range.lowerBound, comma, text: text, tokens: tokens).map { Quote(speaker: speaker, text: $0) }
        }
        // `…, X said [date words].` and `…, said X.`
        if let comma = lastComma, comma > range.lowerBound + 2, comma < end, end - comma <= 12,
           let verb = ((comma + 1)...end).first(where: { text.has(.speechVerb, $0) }) {
            let speakerRange = verb == comma + 1 ? (verb + 1)..<(end + 1) : (comma + 1)..<verb
            if let speaker = speaker(in: speakerRange, text: text, entities: entities) {
                return statement(range.lowerBound, comma, text: text, tokens: tokens).map { Quote(speaker: speaker, text: $0) }
            }
        }
        // `X <verb> that …`.
        if let that = range.first(where: { tokens[$0].word == self.that && $0 > range.lowerBound + 1 }),
           text.has(.speechVerb, that - 1), that + 3 <= end,
           let speaker = speaker(in: range.lowerBound..<(that - 1), text: text, entities: entities, adjacentTo: that - 1) {
            return Quote(speaker: speaker, text: text.text(from: that + 1, through: end))
        }
        return nil
    }

    private func statement(_ first: Int, _ comma: Int, text: TokenizedText, tokens: [Token]) -> String? {
        var last = comma - 1
        while last > first, tokens[last].kind == .punctuation { last -= 1 }
        guard last - first >= 3 else { return nil }
        return text.text(from: first, through: last)
    }

    /// The entity named in `range`, or the last person before it for `he`/`she`. With `adjacentTo`, the
    /// entity must end right before that token (the verb), so `X informed … and stressed that` is not read
    /// as X speaking.
    private func speaker(
        in range: Range<Int>, text: TokenizedText, entities: EntityRecognizer, adjacentTo verb: Int? = nil
    ) -> String? {
        guard !range.isEmpty, range.count <= 10 else { return nil }
        if let verb {
            let subject = max(range.lowerBound, verb - 4)..<verb
            if subject.count == 1, text.has(.personPronoun, subject.lowerBound) {
                return entities.lastPerson(before: subject.lowerBound)
            }
            guard let found = entities.entity(covering: (verb - 1)..<verb) else { return nil }
            return found.name
        }
        if range.count == 1, text.has(.personPronoun, range.lowerBound) {
            return entities.lastPerson(before: range.lowerBound)
        }
        return entities.entity(covering: range)?.name
    }
}
