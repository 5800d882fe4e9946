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

    init(document: Document) {
        body = document.paragraphs.joined(separator: "\n\n")
        let text = TokenizedText(paragraphs: document.paragraphs)
        let words = text.tokens.filter { $0.kind != .punctuation }
        stats = ArticleStats(
            words: words.count, sentences: text.sentences.count, paragraphs: document.paragraphs.count,
            readingTimeSeconds: (words.count * 60 + 229) / 230)
        summary = text.sentences.prefix(2).map { text.text(of: $0) }.joined(separator: " ")
        if words.isEmpty {
            // No body: what there is to go on is the title.
            let titleText = TokenizedText(paragraphs: document.title.map { [$0] } ?? [])
            let ids = titleText.tokens.filter { $0.kind != .punctuation }.map(\.word)
            language = LanguageDetector.detect(document.title ?? "", words: ids, vocabulary: titleText.vocabulary)
            simhash = SimHash.fingerprint(words: ids, vocabulary: titleText.vocabulary)
        } else {
            let ids = words.map(\.word)
            language = LanguageDetector.detect(body, words: ids, vocabulary: text.vocabulary)
            simhash = SimHash.fingerprint(words: ids, vocabulary: text.vocabulary)
        }
        keywords = Keywords.rank(text: text, title: document.title)
        let recognizer = EntityRecognizer(text: text, dateline: document.dateline)
        entities = recognizer.entities
        quotes = QuoteExtractor(text: text, entities: recognizer).quotes
        var codes = CountryMentions.codes(words: words, entities: entities)
        if let code = document.dateline?.countryCode, !codes.contains(code) { codes.insert(code, at: 0) }
        countries = codes.isEmpty ? nil : codes
    }
}

/// Countries mentioned by name or demonym (`Azerbaijani`, also inside `Armenian-Azerbaijani`), as
/// ISO 3166-1 alpha-2 codes in order of first mention.
enum CountryMentions {
    static func codes(words: [Token], entities: Entities) -> [String] {
        var codes: [String] = []
        func add(_ code: String) { if !codes.contains(code) { codes.append(code) } }
        for token in words where token.isCapitalized {
            if let code = Gazetteer.countryCode(forKey: token.lower) ?? Gazetteer.countryCode(forDemonymKey: token.lower) {
                add(code)
            } else if token.lower.utf8.contains(UInt8(ascii: "-")) {
                for part in token.lower.split(separator: "-") {
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
