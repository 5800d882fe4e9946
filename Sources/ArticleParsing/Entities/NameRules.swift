/// The rules that tell what a capitalized phrase is: whether words can be a person's name, where a title
/// ends and a name begins, which common words begin names, and the possessive-free forms of words.
extension EntityRecognizer {
    /// Whether the phrase of tokens `start..<end` may be a key of the gazetteer table whose one-word keys
    /// carry `fact`: a one-token phrase must carry it, a longer one must start with a place start. Saves
    /// lowercasing and hashing the phrases that cannot be places, which are most.
    func mayBe(_ fact: WordFacts, _ start: Int, _ end: Int) -> Bool {
        end - start == 1 ? text.has(fact, start) : text.has(.placeStart, start)
    }

    /// Whether tokens `start..<end` can be a person's name: some word in it is not a title, an
    /// organization word or a common word, listed or written in lower case elsewhere in the text
    /// (`Home Secretary`, `Department's`, `General Election` are not names), and no word
    /// joins it like a phrase (`Agreement on Tariffs`, `Blair and Mr Brown`; name particles like `de`,
    /// `van` or `bin` are fine).
    func looksLikeName(_ start: Int, _ end: Int) -> Bool {
        var hasNameWord = false
        for index in start..<end where tokens(index).kind != .punctuation {
            if text.has(.connector, index), Self.phraseJoiners.contains(text.lower(index)) { return false }
            // `U.S`, `U.N`: abbreviations, not names.
            if text.hasInnerPeriod(index) { continue }
            let facts = bareFacts(index)
            if !facts.contains(.roleWord) && !facts.contains(.roleNoun) && !facts.contains(.organizationWord)
                && !facts.contains(.commonCapitalized) && !facts.contains(.seenInLowercase) {
                hasNameWord = true
            }
        }
        return hasNameWord
    }

    /// The initials of the capitalized words of tokens `start..<end` (`European Community` → `EC`).
    func initials(_ start: Int, _ end: Int) -> String {
        var letters = ""
        for index in start..<end where tokens(index).isWord && tokens(index).isCapitalized {
            if let first = text.form(index).first { letters.append(first) }
        }
        return letters
    }

    /// Whether a title noun (`Minister`, `President`, `Mr.`, `Baroness`) stands right before token `index`,
    /// not a word that only qualifies one (`State Capitol`, `National Museum`, `General Election`).
    func titleBefore(_ index: Int) -> Bool {
        var previous = index - 1
        if previous >= 0, text.has(.period, previous) { previous -= 1 }
        guard previous >= 0 else { return false }
        return text.has(.roleNoun, previous) || text.has(.honorific, previous) || Lexicon.titles.contains(text.lower(previous))
    }

    /// Whether an honorific (`Mr`, `Mrs.`, `Sir`) stands right before token `index`.
    func honorificBefore(_ index: Int) -> Bool {
        var previous = index - 1
        if previous >= 0, text.has(.period, previous) { previous -= 1 }
        return previous >= 0 && text.has(.honorific, previous)
    }

    static let phraseJoiners: Set<String> = ["of", "for", "and", "the", "on", "&"]

    @inline(__always)

    func tokens(_ index: Int) -> Token { text.tokens[index] }

    /// Whether `name` may name a person, an organization or a place: not one character other than a
    /// capital letter (`Â` from a pound sign decoded twice), nor a word that names nothing alone
    /// (``Lexicon/notNamesAlone``).
    static func mayBeName(_ name: String) -> Bool {
        let utf8 = name.utf8
        // The longest word on the list has 13 bytes; most names are longer or not on it.
        guard utf8.count <= 13 else { return true }
        if utf8.count <= 4, name.count == 1, let byte = utf8.first,
           !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
            return false
        }
        return !Lexicon.notNamesAlone.contains(name.lowercased())
    }

    /// The acronym a name ending before `end` defines in parentheses right after it (`World Health
    /// Organization (WHO)`), if any.
    func acronymDefined(after end: Int) -> String? {
        guard end + 2 < text.tokens.count, text.form(end) == "(", tokens(end + 1).isAllCaps, text.form(end + 2) == ")"
        else { return nil }
        return text.form(end + 1)
    }

    /// Where a person's name starts in tokens `start..<end` that end with a title and a name, whatever
    /// stands before the title (`Treasury Secretary James Baker`, `Bank of Japan Governor Satoshi Sumita`,
    /// `Indonesian Energy Minister Subroto`): the name is the last one to three words, none of them a title
    /// or organization word, and either starts with a known given name (two words at least) or follows a
    /// title noun (`minister`, `governor`).
    func titledPersonStart(_ start: Int, _ end: Int) -> Int? {
        var nameStart = end
        while nameStart > start + 1, end - nameStart < 3, tokens(nameStart - 1).isWord,
              !text.has(.roleWord, nameStart - 1), !bareFacts(nameStart - 1).contains(.organizationWord),
              !text.has(.connector, nameStart - 1) || !Self.phraseJoiners.contains(text.lower(nameStart - 1)) {
            nameStart -= 1
        }
        guard nameStart < end, nameStart > start, !tokens(end - 1).isAllCaps else { return nil }
        if text.has(.roleNoun, nameStart - 1), text.has(.roleWord, nameStart - 1), looksLikeName(nameStart, end) {
            return nameStart
        }
        // Otherwise a given name must lead the name, right after a title word.
        while nameStart < end - 1, !text.has(.firstName, nameStart) { nameStart += 1 }
        guard end - nameStart >= 2, text.has(.firstName, nameStart), text.has(.roleWord, nameStart - 1),
              looksLikeName(nameStart, end)
        else { return nil }
        return nameStart
    }

    /// Whether a common capitalized word at `index` begins a name rather than a sentence: the first word
    /// of a place of two or three words (`New York`, `The Hague`), or `New` or `First` inside a sentence
    /// before another capitalized word (`the New Democratic Party`, `First Boston Corp`).
    func startsName(_ index: Int, _ end: Int) -> Bool {
        guard index + 1 < end, tokens(index + 1).isWord else { return false }
        if text.has(.placeStart, index) {
            for length in 2...3 where index + length <= end {
                if Gazetteer.isPlace(key: Gazetteer.key(text.text(from: index, through: index + length - 1))) { return true }
            }
        }
        let lower = text.lower(index)
        guard lower == "new" || lower == "first" else { return false }
        let sentenceStart = text.sentences[Int(tokens(index).sentence)].tokens.lowerBound
        return index > sentenceStart && !text.has(.opening, index - 1)
    }

    /// A title word, the period of an abbreviated title, or a demonym before a title (`Azerbaijani Foreign`).
    func isRoleToken(_ index: Int, spanStart: Int, end: Int) -> Bool {
        if text.has(.roleWord, index) { return true }
        if text.has(.period, index), index > spanStart { return true }
        // `Secretary of State`, `Chancellor of the Exchequer`: a joining word between two titles.
        if index > spanStart, text.has(.roleWord, index - 1), text.lower(index) == "of" || text.lower(index) == "the" {
            var next = index + 1
            while next < end - 1, text.lower(next) == "the" { next += 1 }
            return next < end - 1 && text.has(.roleWord, next)
        }
        if text.has(.demonym, index), index + 1 < end {
            return text.has(.roleWord, index + 1)
        }
        return false
    }

    /// The word lists' facts of token `index` without a possessive ending (`Corp's` is an organization
    /// word); the text's own facts for a word that has none.
    func bareFacts(_ index: Int) -> WordFacts {
        let word = text.tokens[index].word
        guard word >= 0 else { return [] }
        guard text.possessiveLength(index) > 0 else { return text.facts[Int(word)] }
        return WordFacts.of(word: bareLower(index))
    }

    /// Token `index` lowercased, without a possessive ending.
    func bareLower(_ index: Int) -> String {
        let lower = text.lower(index)
        // Lowercased, `’` is `'`: the ending is two bytes.
        return text.possessiveLength(index) > 0 ? String(lower.utf8.dropLast(2)) ?? lower : lower
    }

    /// A person already known whose name ends with `name` (`De Vries` → `Marieke de Vries`).
    func fullerPerson(_ name: String) -> String? {
        guard !personsByLastWord.isEmpty else { return nil }
        let lower = name.lowercased()
        guard let last = lower.split(separator: " ").last, let candidates = personsByLastWord[String(last)] else { return nil }
        let suffix = " " + lower
        // A bounded look: real texts have a handful of people per surname.
        return candidates.prefix(64).first { $0.lower.hasSuffix(suffix) }?.name
    }

    /// `Thomas Greminger, OSCE secretary general,` → `OSCE secretary general`.
    func appositiveRole(after index: Int) -> String? {
        let tokens = text.tokens
        guard index + 1 < tokens.count, text.has(.comma, index) else { return nil }
        var end = index + 1
        var hasRoleNoun = false
        while end < tokens.count, end - index <= 7, tokens[end].sentence == tokens[index].sentence,
              tokens[end].kind != .punctuation || text.form(end) == "-" {
            if text.has(.roleNoun, end) { hasRoleNoun = true }
            if text.has(.speechVerb, end) { return nil }
            end += 1
        }
        guard hasRoleNoun, end > index + 1, end - index <= 7 else { return nil }
        if end < tokens.count, tokens[end].kind != .punctuation { return nil }
        return text.text(from: index + 1, through: end - 1)
    }
}
