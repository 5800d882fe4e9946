import NewsModel

/// What is computed from an article's text: body, stats, language, keywords, summary, countries, simhash.
struct Enrichment {
    var body: String
    var stats: ArticleStats
    var language: String?
    var keywords: [String]
    var summary: String
    var countries: [String]?
    var simhash: UInt64

    init(document: Document) {
        body = document.paragraphs.joined(separator: "\n\n")
        let words = Words.tokens(body)
        var sentenceCount = 0
        var lead: [String] = []
        for paragraph in document.paragraphs {
            let sentences = SentenceSplitter.split(paragraph)
            sentenceCount += sentences.count
            for sentence in sentences where lead.count < 2 { lead.append(sentence) }
        }
        stats = ArticleStats(
            words: words.count, sentences: sentenceCount, paragraphs: document.paragraphs.count,
            readingTimeSeconds: (words.count * 60 + 229) / 230)
        language = LanguageDetector.detect(body.isEmpty ? (document.title ?? "") : body, words: words)
        keywords = Keywords.rank(words: words, title: document.title)
        summary = lead.joined(separator: " ")
        let lowered = (words.isEmpty ? Words.tokens(document.title ?? "") : words).map { Substring($0.lowercased()) }
        simhash = SimHash.fingerprint(lowered)
        var codes = CountryMentions.codes(in: words)
        if let code = document.dateline?.countryCode, !codes.contains(code) { codes.insert(code, at: 0) }
        countries = codes.isEmpty ? nil : codes
    }
}

/// Countries mentioned by name (one to four words: `Azerbaijan`, `South Korea`) or demonym (`Azerbaijani`),
/// as ISO 3166-1 alpha-2 codes in order of first mention.
enum CountryMentions {
    static func codes(in words: [Substring]) -> [String] {
        var codes: [String] = []
        var index = 0
        while index < words.count {
            guard words[index].first?.isUppercase == true else {
                index += 1
                continue
            }
            var matched = 0
            for length in stride(from: min(4, words.count - index), through: 1, by: -1) {
                let phrase = words[index..<(index + length)].joined(separator: " ")
                if let code = Gazetteer.countryCode(forName: phrase)
                    ?? (length == 1 ? Gazetteer.countryCode(forDemonym: phrase) : nil)
                {
                    if !codes.contains(code) { codes.append(code) }
                    matched = length
                    break
                }
            }
            index += max(1, matched)
        }
        return codes
    }
}
