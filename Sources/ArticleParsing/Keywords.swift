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
    static func rank(tokens: [Token], title: String?, limit: Int = 10) -> [String] {
        var scores: [String: Double] = [:]
        for (position, token) in tokens.enumerated() where token.kind == .word {
            guard token.lower.utf8.count >= 3, !englishStopwords.contains(token.lower) else { continue }
            var weight = token.isCapitalized ? 1.5 : 1.0
            if position < 60 { weight += 0.5 }
            scores[token.lower, default: 0] += weight
        }
        if let title {
            for word in Words.tokens(title) {
                let key = word.lowercased()
                if scores[key] != nil { scores[key, default: 0] += 3 }
            }
        }
        let top = scores.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map(\.key)
        // The most frequent written form of each winner, counted only for the winners.
        var forms: [String: [String: Int]] = [:]
        let wanted = Set(top)
        for token in tokens where token.kind == .word && wanted.contains(token.lower) {
            forms[token.lower, default: [:]][token.text, default: 0] += 1
        }
        return top.map { key in
            forms[key]?.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? key
        }
    }
}
