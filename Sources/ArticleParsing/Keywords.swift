/// Ranked keywords: the most frequent content words, with words in the title and capitalized names
/// counting extra; stopwords and numbers left out.
enum Keywords {
    static let englishStopwords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has",
        "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
        "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not",
        "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
        "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
        "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until",
        "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "would", "you", "your", "yours", "said", "says", "say", "told", "according", "added", "mr", "mrs",
        "ms", "one", "two", "three", "new", "year", "years", "last", "first", "since", "may", "might", "must",
        "also", "however", "well", "many", "much", "per", "percent", "pct", "including", "made", "make", "since",
        "within", "without", "yet", "around", "next", "among", "another", "still", "even", "whether", "us",
        "s", "t", "it’s", "it's", "reuter", "reuters", "ap", "get", "got", "go", "going", "take", "taken", "set",
        "week", "day", "days", "time", "way", "back", "just", "like", "told", "being", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "mln", "dlrs", "billion", "million", "cts",
    ]

    /// Up to `limit` keywords, most important first, in their most frequent written form.
    static func rank(text: TokenizedText, title: String?, limit: Int = 10) -> [String] {
        let vocabulary = text.vocabulary
        var eligible = [Bool](repeating: false, count: vocabulary.count)
        for (id, word) in vocabulary.enumerated() {
            eligible[id] = word.utf8.count >= 3 && !englishStopwords.contains(word)
        }
        var scores = [Double](repeating: 0, count: vocabulary.count)
        var position = 0
        for token in text.tokens where token.kind != .punctuation {
            defer { position += 1 }
            guard token.kind == .word, eligible[Int(token.word)] else { continue }
            scores[Int(token.word)] += (token.isCapitalized ? 1.5 : 1.0) + (position < 60 ? 0.5 : 0)
        }
        if let title {
            var index: [String: Int] = [:]
            for (id, word) in vocabulary.enumerated() where scores[id] > 0 { index[word] = id }
            for word in Words.tokens(title) {
                if let id = index[word.lowercased()] { scores[id] += 3 }
            }
        }
        let top = scores.indices.filter { scores[$0] > 0 }
            .sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : vocabulary[$0] < vocabulary[$1] }
            .prefix(limit)
        // The most frequent written form of each winner, counted only for the winners.
        var forms: [Int32: [String: Int]] = [:]
        let wanted = Set(top.map { Int32($0) })
        for token in text.tokens where token.kind == .word && wanted.contains(token.word) {
            forms[token.word, default: [:]][token.text, default: 0] += 1
        }
        return top.map { id in
            forms[Int32(id)]?.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? vocabulary[id]
        }
    }
}
