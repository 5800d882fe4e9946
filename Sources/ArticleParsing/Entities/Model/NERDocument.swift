/// What a document says about its own words, worked out once before tagging: each form's lowercase and
/// case, how each word is usually written in the sentences whose case means something, which sentences
/// are all in capitals, and where the place gazetteers name a phrase of several words.
package struct NERDocument: Sendable {
    package let sequence: NERSequence
    /// The model's word classes (form features read them).
    package let classes: NERWordClasses
    /// Per form.
    package let lowers: [String]
    package let cases: [NERFeatures.Case]
    /// Per form: its lowercase's id, shared by `Ajax`, `AJAX` and `ajax`.
    private let lowerIDs: [Int32]
    /// Per lowercase id: occurrences written lower, capitalized, in capitals, away from a sentence's
    /// start and outside headlines in capitals.
    private var caseCounts: [(UInt16, UInt16, UInt16)] = []
    /// Per form: how it ends a name before it (``Ending``).
    private let endings: [Ending]
    /// Per sentence.
    package private(set) var capitalsSentence: [Bool] = []
    /// Per token: its sentence.
    private var sentenceIndex: [Int32] = []
    /// Per token: 0, or 1 + 4 * kind (country, city, region) + part (B, I, L) of a gazetteer phrase of
    /// several words covering it.
    package private(set) var placePhrases: [UInt8] = []

    package init(_ sequence: NERSequence, classes: NERWordClasses) {
        self.sequence = sequence
        self.classes = classes
        lowers = sequence.lowers
        lowerIDs = sequence.lowerIDs
        let cases = sequence.cases
        self.cases = cases
        endings = sequence.forms.indices.map { Self.ending(sequence.lowers[$0], cases[$0], facts: sequence.facts[$0]) }
        caseCounts = Array(repeating: (0, 0, 0), count: sequence.lowerCount)
        sentenceIndex = Array(repeating: 0, count: sequence.tokens.count)
        placePhrases = Array(repeating: 0, count: sequence.tokens.count)
        // Per form: a word in lower case or capitalized of two letters or more, which says that a sentence
        // is not a headline in capitals.
        let mixedWord = sequence.forms.indices.map { form in
            (cases[form] == .lower || cases[form] == .capitalized) && sequence.forms[form].utf8.count > 1
        }
        for (number, sentence) in sequence.sentences.enumerated() {
            var capitals = 0
            var mixed = 0
            for index in sentence {
                sentenceIndex[index] = Int32(number)
                let form = Int(sequence.tokens[index])
                if cases[form] == .capitals { capitals += 1 }
                if mixedWord[form] { mixed += 1 }
            }
            let headline = capitals > 0 && mixed == 0
            capitalsSentence.append(headline)
            guard !headline else { continue }
            for index in sentence.dropFirst() {
                let form = Int(sequence.tokens[index])
                let id = Int(lowerIDs[form])
                switch cases[form] {
                case .lower: caseCounts[id].0 &+= 1
                case .capitalized: caseCounts[id].1 &+= 1
                case .capitals: caseCounts[id].2 &+= 1
                case .other: break
                }
            }
            markPlacePhrases(sentence)
        }
        for sentence in sequence.sentences.indices where capitalsSentence[sentence] {
            markPlacePhrases(sequence.sentences[sentence])
        }
    }

    /// What a token says of the name before it.
    enum Ending {
        /// Nothing: a capitalized word, `&`, a quotation mark.
        case open
        /// The name ends: a lower-case word other than a connective or a compound (`al-Islamiya`), a
        /// comma, a bracket, a period.
        case closes
        /// The name ends unless it is MISC: a number, a weekday (`Windows 95`, `Black Monday`).
        case closesUnlessMisc
        /// A connective (`of`, `de`, `'s`): the name goes on only if the next token lets it.
        case connective
    }

    /// Connectives inside names (`Bank of England`, `Marieke de Vries`, `Duke of Norfolk 's XI`): the
    /// rules' connectors (``WordFacts/connector``, found with the word) and `und`, `ben`, `upon`; any
    /// lower-case word of one or two letters counts as one too (`Kengo wa Dondo`, `'s`).
    ///
    /// `facts`: what the word lists say of `lower`.
    private static func ending(_ lower: String, _ written: NERFeatures.Case, facts: WordFacts) -> Ending {
        switch written {
        case .lower:
            let length = lower.utf8.count
            if length <= 2 || facts.contains(.connector) || lower == "und" || lower == "ben" || lower == "upon" { return .connective }
            // `al-Saadani`, `self-rule Authority`, `d'Estaing`.
            if Self.anyByte(of: lower, where: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "'") }) { return .open }
            return .closes
        case .capitalized, .capitals:
            // Weekdays are calendar words: most words skip the look-up.
            guard facts.contains(.calendar) else { return .open }
            return Lexicon.weekdays.contains(lower) ? .closesUnlessMisc : .open
        case .other:
            if Self.anyByte(of: lower, where: { $0 &- UInt8(ascii: "0") < 10 }) { return .closesUnlessMisc }
            switch lower {
            case "&", "/", "-", "\"", "'": return .open
            case "'s": return .connective
            default: return .closes
            }
        }
    }

    /// Whether any UTF-8 byte of `text` passes `test`, read from its contiguous bytes (every native
    /// String has them) rather than through the view's iterator.
    @inline(__always)
    private static func anyByte(of text: String, where test: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(where: test) } ?? text.utf8.contains(where: test)
    }

    /// Whether a name may go on past token `index` of `sentence`: what the next token says, and for a
    /// connective the one after it (`Mick McCarthy on Friday` ends at `McCarthy`).
    package func closing(after index: Int, in sentence: Range<Int>) -> NERLabel.Closing {
        guard index + 1 < sentence.upperBound else { return .closed }
        switch endings[Int(sequence.tokens[index + 1])] {
        case .open: return .open
        case .closes: return .closed
        case .closesUnlessMisc: return .closedUnlessMisc
        case .connective:
            guard index + 2 < sentence.upperBound else { return .closed }
            switch endings[Int(sequence.tokens[index + 2])] {
            case .closes: return .closed
            case .closesUnlessMisc: return .closedUnlessMisc
            case .open, .connective: return .open
            }
        }
    }

    /// How the word of `form` is usually written where case tells: 0 lower, 1 capitalized, 2 capitals,
    /// 3 never seen there.
    package func usualCase(form: Int) -> Int {
        let counts = caseCounts[Int(lowerIDs[form])]
        if counts.0 == 0 && counts.1 == 0 && counts.2 == 0 { return 3 }
        if counts.0 >= counts.1 && counts.0 >= counts.2 { return 0 }
        return counts.1 >= counts.2 ? 1 : 2
    }

    /// Whether the word of `form` also appears in lower case away from a sentence's start.
    package func seenLowercase(form: Int) -> Bool { caseCounts[Int(lowerIDs[form])].0 > 0 }

    /// The lowercase id of a form (the same for every way of writing a word).
    package func lowerID(form: Int) -> Int { Int(lowerIDs[form]) }

    /// The number of distinct lowercase words.
    package var lowerCount: Int { caseCounts.count }

    /// The sentence of token `index`.
    package func sentenceOf(_ index: Int) -> Int { Int(sentenceIndex[index]) }

    /// Marks the longest gazetteer phrases of two to four words in a sentence (`New York`, `Sri Lanka`,
    /// `Bosnia and Herzegovina`); one-word places are form features already.
    private mutating func markPlacePhrases(_ sentence: Range<Int>) {
        let table = PlacePhrases.shared
        var phrase: [UInt8] = []
        var index = sentence.lowerBound
        while index < sentence.upperBound - 1 {
            let first = Int(sequence.tokens[index])
            guard cases[first] != .lower, cases[first] != .other,
                  sequence.facts[first].contains(.placeStart) else {
                index += 1
                continue
            }
            var matched = 0
            var kind = 0
            phrase.removeAll(keepingCapacity: true)
            phrase.append(contentsOf: lowers[first].utf8)
            for length in 2...4 where index + length <= sentence.upperBound {
                let last = Int(sequence.tokens[index + length - 1])
                // Names run through words, not punctuation; and a place's last word is written as a name.
                if cases[last] == .other { break }
                phrase.append(UInt8(ascii: " "))
                phrase.append(contentsOf: lowers[last].utf8)
                guard let entry = table.entry(phrase) else { break }
                if cases[last] != .lower, let found = entry.kind { (matched, kind) = (length, found) }
                if !entry.continues { break }
            }
            guard matched > 0 else {
                index += 1
                continue
            }
            for offset in 0..<matched {
                let part = offset == 0 ? 0 : offset == matched - 1 ? 2 : 1
                placePhrases[index + offset] = UInt8(1 + kind * 4 + part)
            }
            index += matched
        }
    }
}

/// The gazetteer keys of several words (countries, cities, regions) and every shorter run of their
/// words, in one byte-keyed table: a sentence's words are looked up as they are read, and the search
/// stops as soon as no key goes on with them.
private struct PlacePhrases: Sendable {
    struct Entry {
        /// 0 country, 1 city, 2 region (that order wins when a phrase is several); nil for a run that is
        /// only the start of longer keys.
        var kind: Int?
        /// Whether a longer key starts with these words.
        var continues: Bool
    }

    static let shared = PlacePhrases()

    private var table = ByteTable(capacity: 4096)
    private var entries: [Entry] = []

    private init() {
        var byPhrase: [String: Entry] = [:]
        func add(_ keys: some Sequence<String>, kind: Int) {
            for key in keys where key.contains(" ") {
                let words = key.split(separator: " ", omittingEmptySubsequences: false)
                for count in 2...words.count {
                    let run = words[..<count].joined(separator: " ")
                    var entry = byPhrase[run] ?? Entry(kind: nil, continues: false)
                    if count < words.count {
                        entry.continues = true
                    } else if entry.kind.map({ $0 > kind }) ?? true {
                        entry.kind = kind
                    }
                    byPhrase[run] = entry
                }
            }
        }
        add(Gazetteer.countryKeys, kind: 0)
        add(NameLists.cities.keys, kind: 1)
        add(Gazetteer.regionKeys, kind: 2)
        for (phrase, entry) in byPhrase {
            var phrase = phrase
            phrase.withUTF8 { table.insert($0, id: Int32(entries.count)) }
            entries.append(entry)
        }
    }

    func entry(_ phrase: [UInt8]) -> Entry? {
        phrase.withUnsafeBufferPointer { bytes in table.find(bytes).map { entries[Int($0)] } }
    }
}
