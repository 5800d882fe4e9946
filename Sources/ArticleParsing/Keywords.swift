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
        // Scores in half points, so they add up exactly: 2 a mention (3 capitalized), 1 more in the first
        // 60 words, 6 more for a word of the title. Ineligible words (short, stopwords) stay at 0; -1
        // marks a word not yet judged.
        var scores = [Int32](repeating: -1, count: vocabulary.count)
        scores.withUnsafeMutableBufferPointer { scores in
            text.facts.withUnsafeBufferPointer { facts in
                text.tokens.withUnsafeBufferPointer { tokens in
                    var position = 0
                    for token in tokens where token.kind != .punctuation {
                        defer { position += 1 }
                        guard token.kind == .word else { continue }
                        let id = Int(token.word)
                        if scores[id] < 0 {
                            scores[id] = vocabulary[id].utf8.count >= 3 && !facts[id].contains(.keywordStopword) ? 0 : -2
                        }
                        guard scores[id] >= 0 else { continue }
                        scores[id] += (token.isCapitalized ? 3 : 2) + (position < 60 ? 1 : 0)
                    }
                }
            }
        }
        if let title {
            for id in text.vocabularyIDs(ofWordsIn: title) where scores[Int(id)] > 0 { scores[Int(id)] += 6 }
        }
        // The best `limit` by score (ties: alphabetical), kept in a small sorted array in one pass.
        var top: [Int] = []
        top.reserveCapacity(limit + 1)
        func better(_ a: Int, _ b: Int) -> Bool {
            scores[a] != scores[b] ? scores[a] > scores[b] : vocabulary[a] < vocabulary[b]
        }
        for id in scores.indices where scores[id] > 0 {
            if top.count == limit, let last = top.last, !better(id, last) { continue }
            let position = top.firstIndex { better(id, $0) } ?? top.count
            top.insert(id, at: position)
            if top.count > limit { top.removeLast() }
        }
        // The most frequent written form of each winner (ties: the alphabetically first), counted by form
        // id and only for the winners.
        var formCounts = [Int32](repeating: 0, count: text.forms.count)
        var bestForm = [Int32](repeating: -1, count: vocabulary.count)
        for id in top { bestForm[id] = -2 }
        formCounts.withUnsafeMutableBufferPointer { formCounts in
            bestForm.withUnsafeBufferPointer { wanted in
                for token in text.tokens where token.kind == .word && wanted[Int(token.word)] == -2 {
                    formCounts[Int(token.form)] += 1
                }
            }
        }
        for form in formCounts.indices where formCounts[form] > 0 {
            let word = Int(text.word(ofForm: form))
            let current = bestForm[word]
            if current < 0 || formCounts[form] > formCounts[Int(current)]
                || (formCounts[form] == formCounts[Int(current)] && text.forms[form] < text.forms[Int(current)]) {
                bestForm[word] = Int32(form)
            }
        }
        return top.map { id in bestForm[id] >= 0 ? text.forms[Int(bestForm[id])] : vocabulary[id] }
    }
}
