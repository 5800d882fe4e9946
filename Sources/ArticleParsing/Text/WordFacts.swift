/// What the closed word lists say about a lowercased word: found with one lookup per distinct word of an
/// article, when the tokenizer first meets it, instead of one lookup per list and per occurrence.
package struct WordFacts: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    static let connector = WordFacts(rawValue: 1 << 0)
    static let organizationWord = WordFacts(rawValue: 1 << 1)
    static let commonCapitalized = WordFacts(rawValue: 1 << 2)
    static let roleWord = WordFacts(rawValue: 1 << 3)
    static let honorific = WordFacts(rawValue: 1 << 4)
    static let placeNoun = WordFacts(rawValue: 1 << 5)
    static let speechVerb = WordFacts(rawValue: 1 << 6)
    static let placePreposition = WordFacts(rawValue: 1 << 7)
    static let roleNoun = WordFacts(rawValue: 1 << 8)
    static let personPronoun = WordFacts(rawValue: 1 << 9)
    static let firstName = WordFacts(rawValue: 1 << 10)
    static let keywordStopword = WordFacts(rawValue: 1 << 11)
    /// A one-word country name, demonym, US state or Canadian province, or city (the gazetteer keys).
    static let countryName = WordFacts(rawValue: 1 << 12)
    static let demonym = WordFacts(rawValue: 1 << 13)
    static let region = WordFacts(rawValue: 1 << 14)
    static let city = WordFacts(rawValue: 1 << 15)
    /// The first word of a gazetteer key of several words (`south` of `south korea`): only phrases that
    /// start with one are looked up whole.
    static let placeStart = WordFacts(rawValue: 1 << 16)
    /// Not from the lists but from the text: the word also appears there in lower case (`election`), so it
    /// is a common word, not a name. Set by ``TokenizedText``.
    static let seenInLowercase = WordFacts(rawValue: 1 << 17)
    /// A day or month name or abbreviation.
    static let calendar = WordFacts(rawValue: 1 << 18)

    /// The languages whose frequent words this is (bit i: language i of ``LanguageDetector``), kept in
    /// bits 20 and up.
    var languageBits: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 20) }

    /// The facts of the lowercased word with UTF-8 bytes `lower`, none for a word on no list.
    static func of(_ lower: UnsafeBufferPointer<UInt8>) -> WordFacts { lookup.facts(of: lower, hash: ByteTable.hash(lower)) }

    /// The facts of a lowercased word given as a String.
    static func of(word: String) -> WordFacts {
        var word = word
        return word.withUTF8 { of($0) }
    }

    /// The word lists, for a caller that looks many words up (fetched once, not per word).
    static var lists: Lookup { lookup }

    /// The lists as one byte-keyed table: a lookup hashes the word's bytes, nothing else.
    final class Lookup: Sendable {
        let table: ByteTable
        let facts: [WordFacts]

        init(_ byWord: [String: WordFacts]) {
            var table = ByteTable()
            var facts: [WordFacts] = []
            for (word, fact) in byWord {
                var word = word
                word.withUTF8 { table.insert($0, id: Int32(facts.count)) }
                facts.append(fact)
            }
            self.table = table
            self.facts = facts
        }

        /// The facts of the lowercased word `lower`, whose ``ByteTable/hash(_:)`` is `hash`.
        func facts(of lower: UnsafeBufferPointer<UInt8>, hash: UInt32) -> WordFacts {
            guard let id = table.find(lower, hash: hash) else { return [] }
            return facts[Int(id)]
        }
    }

    private static let lookup = Lookup(byWord)

    private static let byWord: [String: WordFacts] = {
        var table: [String: WordFacts] = [:]
        func mark(_ words: some Sequence<String>, _ fact: WordFacts) {
            for word in words { table[word, default: []].formUnion(fact) }
        }
        mark(Lexicon.connectors, .connector)
        mark(Lexicon.organizationWords, .organizationWord)
        mark(Lexicon.commonCapitalized, .commonCapitalized)
        mark(Lexicon.roleWords, .roleWord)
        mark(Lexicon.honorifics, .honorific)
        mark(Lexicon.placeNouns, .placeNoun)
        mark(Lexicon.speechVerbs, .speechVerb)
        mark(Lexicon.placePrepositions, .placePreposition)
        mark(Lexicon.roleNouns, .roleNoun)
        mark(Lexicon.personPronouns, .personPronoun)
        mark(NameLists.firstNames, .firstName)
        mark(Keywords.englishStopwords, .keywordStopword)
        mark(Lexicon.calendarWords, .calendar)
        // Gazetteer keys: one-word keys by table; every key's first word as a place start (a key of one
        // word that the tokenizer would cut in two, like `u.s.`, counts as several words).
        func places(_ keys: some Sequence<String>, _ fact: WordFacts) {
            for key in keys {
                guard let first = TokenizedText.firstWord(key) else { continue }
                if first == key { table[key, default: []].formUnion(fact) }
                table[first, default: []].formUnion(.placeStart)
            }
        }
        places(Gazetteer.countryKeys, .countryName)
        places(Gazetteer.demonymKeys, .demonym)
        places(Gazetteer.regionKeys, .region)
        places(NameLists.cities.keys, .city)
        for (word, bits) in LanguageDetector.stopwordBits {
            table[word, default: []].formUnion(WordFacts(rawValue: UInt32(bits) << 20))
        }
        return table
    }()
}
