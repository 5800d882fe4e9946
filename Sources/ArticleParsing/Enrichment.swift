import NewsModel

/// What is computed from an article's text: body, stats, language, keywords, summary, entities, quotes,
/// countries, simhash. One tokenization pass feeds every stage.
struct Enrichment {
    var body: String
    var stats: ArticleStats
    var language: String?
    var keywords: [String]
    var summary: String
    var entities: Entities
    var quotes: [Quote]
    var countries: [String]?
    var simhash: UInt64
    /// The near-duplicate sketch of the title, dateline and body; nil when there are no words.
    var minhash: MinHashSketch?
    /// Entities recognized but left out by the `maxEntities` limit.
    var entitiesDropped: Int

    init(document: Document, maxEntities: Int, budget: Budget, tagger: NERTagger?) throws(ParseFailure) {
        body = document.paragraphs.joined(separator: "\n\n")
        let text = TokenizedText(paragraphs: document.paragraphs)
        try budget.check("language detection")
        var ids: [Int32] = []
        ids.reserveCapacity(text.tokens.count)
        for token in text.tokens where token.kind != .punctuation { ids.append(token.word) }
        stats = ArticleStats(
            words: ids.count, sentences: text.sentences.count, paragraphs: document.paragraphs.count,
            readingTimeSeconds: (ids.count * 60 + 229) / 230)
        summary = text.sentences.prefix(2).map { text.text(of: $0) }.joined(separator: " ")
        // No body: what there is to go on is the title.
        let titleText = ids.isEmpty ? TokenizedText(paragraphs: document.title.map { [$0] } ?? []) : nil
        if let titleText {
            let ids = titleText.tokens.filter { $0.kind != .punctuation }.map(\.word)
            language = LanguageDetector.detect(document.title ?? "", words: ids, facts: titleText.facts)
            simhash = SimHash.fingerprint(wordHashes: SimHash.wordHashes(words: ids, vocabulary: titleText.vocabulary))
            minhash = MinHash.sketch(wordHashes: MinHash.headingWordHashes(document))
        } else {
            language = LanguageDetector.detect(body, words: ids, facts: text.facts)
            let hashes = SimHash.wordHashes(words: ids, vocabulary: text.vocabulary)
            simhash = SimHash.fingerprint(wordHashes: hashes)
            // The title and dateline are part of the story: wires send the same one-line body under many
            // company names and dates.
            minhash = MinHash.sketch(wordHashes: MinHash.headingWordHashes(document) + hashes)
        }
        try budget.check("keywords")
        keywords = Keywords.rank(text: text, title: document.title)
        try budget.check("entities")
        // A story that is all headline (wires send many) has its names in the title.
        let recognizer = EntityRecognizer(
            text: tagger != nil ? titleText ?? text : text, dateline: document.dateline, tagger: tagger)
        (entities, entitiesDropped) = recognizer.entities(limit: maxEntities)
        try budget.check("quotes")
        quotes = QuoteExtractor(text: text, entities: recognizer).quotes
        var codes = CountryMentions.codes(text: text, entities: entities)
        if let code = document.dateline?.countryCode, !codes.contains(code) { codes.insert(code, at: 0) }
        countries = codes.isEmpty ? nil : codes
    }
}

/// Countries mentioned by name or demonym (`Azerbaijani`, also inside `Armenian-Azerbaijani`), as
/// ISO 3166-1 alpha-2 codes in order of first mention.
enum CountryMentions {
    static func codes(text: TokenizedText, entities: Entities) -> [String] {
        var codes: [String] = []
        func add(_ code: String) { if !codes.contains(code) { codes.append(code) } }
        // Each distinct capitalized word is looked up once.
        var looked = [Bool](repeating: false, count: text.vocabulary.count)
        let tokens = text.tokens
        for index in tokens.indices where tokens[index].isCapitalized && tokens[index].kind == .word {
            let id = Int(tokens[index].word)
            guard !looked[id] else { continue }
            looked[id] = true
            let lower = text.vocabulary[id]
            let facts = text.facts[id]
            if facts.contains(.countryName) || facts.contains(.demonym),
               let code = Gazetteer.countryCode(forKey: lower) ?? Gazetteer.countryCode(forDemonymKey: lower) {
                add(code)
            } else if lower.utf8.contains(UInt8(ascii: "-")) {
                for part in lower.split(separator: "-") {
                    if let code = Gazetteer.countryCode(forDemonymKey: String(part)) { add(code) }
                }
            }
        }
        for location in entities.locations {
            if let code = location.country, Gazetteer.countryCode(forName: location.name) == code { add(code) }
        }
        return codes
    }
}
