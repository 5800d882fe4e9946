import NewsModel

/// Rule-based named-entity recognition over a tokenized body, tuned for precision: a capitalized phrase
/// becomes an entity only on evidence (a gazetteer entry, an organization word, a title or given name,
/// a speech verb, a place noun or preposition). Later mentions fold into the fullest form: `Mammadyarov`
/// into `Elmar Mammadyarov`, `WHO` into `World Health Organization` when the text defines it.
struct EntityRecognizer {
    enum Kind: Hashable { case person, organization, location }

    /// A record's identity: kind and canonical name.
    struct Key: Hashable {
        var kind: Kind
        var name: String
    }

    /// One recognized mention: its token range, kind and canonical key.
    struct Mention {
        var tokens: Range<Int>
        var kind: Kind
        var name: String
    }

    struct Record {
        var kind: Kind
        var name: String
        var mentions = 0
        var role: String?
        var country: String?
        var firstSeen: Int
        /// The acronym an organization also goes by in the text (`OECD`).
        var acronym: String?

        /// Takes in another record of the same name or referent: its mentions, where it was first seen,
        /// and the country, acronym and (for a person) role this one lacks.
        mutating func absorb(_ other: Record) {
            mentions += other.mentions
            firstSeen = min(firstSeen, other.firstSeen)
            country = country ?? other.country
            acronym = acronym ?? other.acronym
            if kind == .person { role = role ?? other.role }
        }
    }

    let text: TokenizedText
    var records: [Key: Record] = [:]
    var mentions: [Mention] = []
    var acronyms: [String: String] = [:]
    var lastNames: [String: String] = [:]
    /// Tokens of acronym definitions `(WHO)`: part of the expansion's mention, not mentions themselves.
    var definitions = Set<Int>()
    /// Two-word-or-longer person names by their lowercased last word, for folding shorter forms.
    /// Persons by the last word of their name, each with its lowercased form (compared on every mention).
    var personsByLastWord: [String: [(name: String, lower: String)]] = [:]
    var coverIndex: [Int32] = []
    /// The vocabulary id of `and` in this text (-2 when it has none).
    let andWord: Int32
    var lastPersonBefore: [Int32] = []

    /// While rules fill in around the learned spans: which of their findings are kept.
    var fallbackFilter: ((Kind, String) -> Bool)?
    /// Titles of works named right after a word for one (`the film The Aviator`, `his album Atomic
    /// Bomb`): no person, organization or place, there or anywhere else in the text.
    var works = Set<String>()

    /// Recognizes the entities of `text`: with a `tagger`, the learned model finds the names and their
    /// types and the rules add roles, countries, acronyms and folding, and persons and countries the
    /// model left out; without one, the rules alone.
    init(text: TokenizedText, dateline: Dateline?, tagger: NERTagger? = nil) {
        self.text = text
        andWord = text.vocabularyID(of: "and") ?? -2
        var spans = Self.capitalizedSpans(text)
        records.reserveCapacity(spans.count)
        mentions.reserveCapacity(spans.count * 2)
        if let tagger {
            let learned = refine(LearnedSpans.find(text, tagger: tagger), runs: spans)
            for span in learned where isWorkTitle(span) {
                works.insert(text.text(from: span.tokens.lowerBound, through: span.tokens.upperBound - 1))
            }
            var covered = [Bool](repeating: false, count: text.tokens.count)
            for span in learned {
                for index in span.tokens where index < covered.count { covered[index] = true }
                classifyLearned(span)
            }
            // Rules are precise for titled persons, given names, organizations by their words or as
            // acronyms, and country names: they add those the model did not see, in capitalized runs it
            // left untouched. Not a lone acronym, though (`DATE`, `DUE` heading a listing's lines), unless
            // it is an international organization's (`GATT`).
            fallbackFilter = { kind, name in
                (kind != .location || Gazetteer.countryCode(forName: name) != nil)
                    && !(kind == .organization && Self.isAcronym(name) && !Lexicon.internationalOrganizations.contains(name))
            }
            for span in spans where !span.contains(where: { covered[$0] }) { classify(span) }
            fallbackFilter = nil
            spans += learned.map(\.tokens)
        } else {
            for span in spans { classify(span) }
        }
        foldShortMentions(spans)
        foldPersonsIntoOrganizations()
        foldAcronyms()
        foldNamesIntoPersons()
        foldRepeatedNames()
        foldKindConflicts()
        buildIndexes()
        // The dateline's city is where the story is told from, and the country or state after it
        // (`MILWAUKEE, Wisconsin`, `BAGHDAD, Iraq`) is written there too: locations, counted once each.
        // Before every name of the text, the city first: records of equal mentions are ordered by where
        // they were first seen.
        for (order, place) in [dateline?.city, dateline?.country].enumerated() {
            guard let place else { continue }
            let key = Key(kind: .location, name: place)
            var record = records[key] ?? Record(kind: .location, name: place, firstSeen: order - 2)
            record.mentions += 1
            record.country = record.country ?? dateline?.countryCode
            records[key] = record
        }
    }

    /// The entities, most mentioned first, at most `limit` in all; and how many were left out.
    func entities(limit: Int) -> (Entities, dropped: Int) {
        let kept = records.values
            .sorted { $0.mentions != $1.mentions ? $0.mentions > $1.mentions : $0.firstSeen < $1.firstSeen }
            .prefix(max(0, limit))
        func list(_ kind: Kind) -> [Entity] {
            kept.filter { $0.kind == kind }
                .map { Entity(name: $0.name, mentions: $0.mentions, role: $0.role, country: $0.country, acronym: $0.acronym) }
        }
        let entities = Entities(persons: list(.person), organizations: list(.organization), locations: list(.location))
        return (entities, records.count - kept.count)
    }

    /// The canonical person or organization a token range refers to, if any mention covers it.
    func entity(covering range: Range<Int>) -> (kind: Kind, name: String)? {
        for index in range.clamped(to: 0..<coverIndex.count).reversed() where coverIndex[index] >= 0 {
            let mention = mentions[Int(coverIndex[index])]
            return (mention.kind, mention.name)
        }
        return nil
    }

    /// The last person mentioned before token `index`.
    func lastPerson(before index: Int) -> String? {
        guard index >= 0, index < lastPersonBefore.count, lastPersonBefore[index] >= 0 else { return nil }
        return mentions[Int(lastPersonBefore[index])].name
    }

    /// Token -> person or organization mention covering it, and token -> last person mention ending at or
    /// before it: both built once, so quote attribution stays linear in the length of the text.
    mutating func buildIndexes() {
        let count = text.tokens.count
        coverIndex = [Int32](repeating: -1, count: count)
        var lastEnding = [Int32](repeating: -1, count: count + 1)
        for (number, mention) in mentions.enumerated() where mention.kind != .location {
            for index in mention.tokens where index < count { coverIndex[index] = Int32(number) }
            if mention.kind == .person, mention.tokens.upperBound <= count {
                let current = lastEnding[mention.tokens.upperBound]
                if current < 0 || mentions[Int(current)].tokens.upperBound <= mention.tokens.upperBound {
                    lastEnding[mention.tokens.upperBound] = Int32(number)
                }
            }
        }
        lastPersonBefore = [Int32](repeating: -1, count: count + 1)
        var latest: Int32 = -1
        for index in 0...count {
            if lastEnding[index] >= 0 { latest = lastEnding[index] }
            lastPersonBefore[index] = latest
        }
    }

    // MARK: - Spans

    /// Maximal runs of capitalized words, joined by connectors and initials, within a sentence.
    static func capitalizedSpans(_ text: TokenizedText) -> [Range<Int>] {
        let tokens = text.tokens
        let andWord = text.vocabularyID(of: "and") ?? -2
        var spans: [Range<Int>] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isWord, token.isCapitalized || token.isAllCaps else {
                index += 1
                continue
            }
            var end = index + 1
            while end < tokens.count, tokens[end].sentence == token.sentence {
                let next = tokens[end]
                // `Japan's Prime Minister …`: the owner and the titled person are two names.
                if text.has(.roleWord, end), text.possessiveLength(end - 1) > 0 { break }
                if next.isWord && (next.isCapitalized || next.isAllCaps) && next.spaceBefore {
                    end += 1
                } else if next.isWord, text.has(.connector, end), end + 1 < tokens.count,
                          tokens[end + 1].isWord, tokens[end + 1].isCapitalized, tokens[end + 1].sentence == token.sentence,
                          !text.has(.honorific, end + 1), !text.has(.calendar, end + 1),
                          !(next.word == andWord && !text.has(.organizationWord, end + 1)
                            && end + 2 < tokens.count && !tokens[end + 2].isCapitalized
                            // …unless the name so far is an organization's and goes on past `and`
                            // (`Organization for Economic Cooperation and Development`).
                            && !(!text.has(.organizationWord, end - 1)
                                 && (index..<end).contains(where: { text.has(.organizationWord, $0) })))
                {
                    end += 2
                } else if next.kind == .punctuation, text.has(.period, end), !next.spaceBefore,
                          text.form(end - 1).count == 1 || text.has(.honorific, end - 1),
                          tokens[end - 1].isCapitalized, end + 1 < tokens.count, tokens[end + 1].isCapitalized {
                    end += 1  // an initial or an honorific's period: `John F. Kennedy`, `Mr. Smith`
                } else {
                    break
                }
            }
            spans.append(index..<end)
            index = end
        }
        return spans
    }

    // MARK: - Classification

    mutating func classify(_ span: Range<Int>) {
        let tokens = text.tokens
        var start = span.lowerBound
        var end = span.upperBound
        // Sentence-initial and headline words that are not names (but `New York`, `First Boston Corp`).
        while start < end, text.has(.commonCapitalized, start), !tokens[start].isAllCaps, !text.has(.honorific, start),
              !startsName(start, end) {
            start += 1
        }
        // Trailing connectors and periods left by the span rules.
        while end > start, tokens[end - 1].kind == .punctuation || text.has(.connector, end - 1) {
            end -= 1
        }
        guard start < end, !definitions.contains(start) else { return }
        // A title in front of a name: `Foreign Minister Elmar Mammadyarov`, `Mr. Smith`.
        var roleEnd = start
        while roleEnd < end - 1, isRoleToken(roleEnd, spanStart: start, end: end) { roleEnd += 1 }
        // The span's words (not its periods): how many, and whether one is an organization word.
        var wordCount = 0
        var anyOrganizationWord = false
        for index in start..<end where tokens[index].kind != .punctuation {
            wordCount += 1
            if bareFacts(index).contains(.organizationWord) { anyOrganizationWord = true }
        }
        // `Reagan's`, `Hong Kong's`: the name without the possessive.
        let possessive = text.possessiveLength(end - 1)
        var phrase = text.text(from: start, through: end - 1)
        if possessive > 0 { phrase = String(phrase.utf8.dropLast(possessive)) ?? phrase }
        // Today's companies, which the model may leave out too (`on Instagram`).
        if end - start == 1, Lexicon.organizationNames.contains(bareLower(start)) {
            add(.organization, name: phrase, range: start..<end)
            return
        }
        let after = end < tokens.count ? tokens[end] : nil
        let before = start > 0 ? tokens[start - 1] : nil
        /// Whether the phrase may be a key of the gazetteer table marked by `fact` (a possessive word's
        /// facts are its own, so it is looked up whole).
        func mayBePlace(_ fact: WordFacts) -> Bool { possessive > 0 || mayBe(fact, start, end) }

        // A dotted abbreviation (`U.S.`, `N.Y.`, `U.N.`): a place by the gazetteer, else an organization
        // when it stands alone; initials before a name (`E.F. Hutton`) are not one.
        if wordCount == 1, tokens[start].isWord, text.hasInnerPeriod(start) {
            // Its closing period is a token of its own; a text may also leave it out (`U.S officials`).
            let closed = end < tokens.count && text.has(.period, end) && !tokens[end].spaceBefore
            let range = start..<(closed ? end + 1 : end)
            let dotted = phrase + "."
            if let code = Gazetteer.countryCode(forName: dotted) {
                add(.location, name: dotted, range: range, country: code)
            } else if let region = Gazetteer.region(dotted) {
                add(.location, name: dotted, range: range, country: region.code)
            } else if closed, tokens[start].isAllCaps, !(end + 1 < tokens.count && tokens[end + 1].isCapitalized) {
                add(.organization, name: dotted, range: range)
            }
            return
        }
        // A titled person with a given name at the end of a span, whatever stands before the title:
        // `Treasury Secretary James Baker`, `Secretary of State George Shultz`.
        if let nameStart = titledPersonStart(start, end) {
            var name = text.text(from: nameStart, through: end - 1)
            if possessive > 0 { name = String(name.utf8.dropLast(possessive)) ?? name }
            // The title is what follows the last `and` before it; what precedes that is a name of its own
            // (`German Chancellor Gerhard Schroeder and French President Jacques Chirac`).
            var roleStart = start
            if let and = (start..<nameStart).last(where: { tokens[$0].word == andWord }) {
                roleStart = and + 1
                if and > start { classify(start..<and) }
            }
            if roleStart < nameStart {
                let honorificOnly = text.has(.honorific, roleStart) && nameStart - roleStart == 1
                add(.person, name: name, range: nameStart..<end,
                    role: honorificOnly ? nil : text.text(from: roleStart, through: nameStart - 1),
                    country: text.has(.demonym, roleStart) ? Gazetteer.countryCode(forDemonym: text.form(roleStart)) : nil)
                return
            }
        }

        // Acronym defined in parentheses right after: `World Health Organization (WHO)`. When its letters
        // are the initials of the phrase's capitalized words, the phrase is an organization's name
        // (`European Community (EC)`) unless a rule below finds it is a place or a person.
        var definesAcronym = false
        if let acronym = acronymDefined(after: end) {
            acronyms[acronym] = phrase
            definitions.insert(end + 1)
            definesAcronym = wordCount > 1 && initials(start, end) == acronym
        }
        if wordCount == 1, tokens[start].isAllCaps, let expansion = acronyms[text.form(start)] {
            add(.organization, name: expansion, range: start..<end)
            return
        }
        if mayBePlace(.countryName), let code = Gazetteer.countryCode(forName: phrase) {
            add(.location, name: phrase, range: start..<end, country: code)
            return
        }
        if wordCount > 1 && (anyOrganizationWord || definesAcronym) {
            let demonym = text.has(.demonym, start) ? Gazetteer.countryCode(forDemonym: text.form(start)) : nil
            add(.organization, name: phrase, range: start..<end, country: demonym)
            return
        }
        if roleEnd > start, roleEnd < end, titleBefore(roleEnd), looksLikeName(roleEnd, end) || honorificBefore(roleEnd) {
            var name = text.text(from: roleEnd, through: end - 1)
            if possessive > 0 { name = String(name.utf8.dropLast(possessive)) ?? name }
            let role = text.text(from: start, through: roleEnd - 1)
            let honorificOnly = text.has(.honorific, start) && roleEnd - start <= 2
            add(.person, name: name, range: roleEnd..<end, role: honorificOnly ? nil : role,
                country: text.has(.demonym, start) ? Gazetteer.countryCode(forDemonym: text.form(start)) : nil)
            return
        }
        if wordCount == 1, mayBePlace(.region), let region = Gazetteer.region(phrase) {
            add(.location, name: phrase, range: start..<end, country: region.code)
            return
        }
        if mayBePlace(.city), let code = NameLists.cities[phrase.lowercased()],
           !text.has(.firstName, start) || wordCount > 1 {
            add(.location, name: phrase, range: start..<end, country: code)
            return
        }
        if let after, after.isWord, text.has(.placeNoun, end), wordCount <= 3 {
            add(.location, name: phrase, range: start..<end)
            return
        }
        if wordCount >= 2, wordCount <= 4, text.has(.firstName, start),
           !tokens[end - 1].isAllCaps, looksLikeName(start, end) {
            add(.person, name: phrase, range: start..<end)
            return
        }
        if wordCount >= 2, wordCount <= 4, let after, after.isWord, text.has(.speechVerb, end),
           !tokens[start].isAllCaps, looksLikeName(start, end) {
            add(.person, name: phrase, range: start..<end)
            return
        }
        if wordCount == 1, tokens[start].isAllCaps, text.form(start).count >= 2, text.form(start).count <= 6,
           !text.has(.countryName, start), !text.has(.commonCapitalized, start),
           !Lexicon.commonAcronyms.contains(text.lower(start)) {
            add(.organization, name: phrase, range: start..<end)
            return
        }
        if let before, before.isWord, text.has(.placePreposition, start - 1), wordCount <= 2, !anyOrganizationWord,
           !(mayBe(.demonym, start, end) && Gazetteer.countryCode(forDemonym: phrase) != nil), !tokens[start].isAllCaps {
            add(.location, name: phrase, range: start..<end)
        }
    }

    mutating func add(
        _ kind: Kind, name: String, range: Range<Int>, role: String? = nil, country: String? = nil
    ) {
        var kind = kind
        // `Dean Witter Reynolds Inc`, `Orion Royal Bank Ltd`: a name that ends with a company's suffix, or
        // with an organization's head after two words or more, names no person.
        if kind == .person, let last = range.last(where: { $0 < text.tokens.count && text.tokens[$0].isWord }),
           last > range.lowerBound,
           Lexicon.companySuffixes.contains(bareLower(last))
            || (last - range.lowerBound >= 2 && Lexicon.organizationHeads.contains(bareLower(last))) {
            kind = .organization
        }
        let role = kind == .person ? role : nil
        if let fallbackFilter, !fallbackFilter(kind, name) { return }
        guard Self.mayBeName(name) else { return }
        var name = name
        if kind == .person, let fuller = fullerPerson(name) { name = fuller }
        // A person's role from an appositive (`X, OSCE secretary general,`), used if none is known yet.
        let appositive = kind == .person && role == nil ? appositiveRole(after: range.upperBound) : nil
        // One lookup: the record is updated in place.
        let mentionCount = Self.count(
            &records[Key(kind: kind, name: name), default: Record(kind: kind, name: name, firstSeen: range.lowerBound)],
            role: role ?? appositive, country: country)
        mentions.append(Mention(tokens: range, kind: kind, name: name))
        if kind == .person, range.count >= 2 {
            let last = bareLower(range.upperBound - 1)
            lastNames[last] = lastNames[last] ?? name
            if mentionCount == 1 { personsByLastWord[last, default: []].append((name, name.lowercased())) }
        }
    }

    /// Counts one more mention of `record`, taking the role and country if it has none; the new count.
    private static func count(_ record: inout Record, role: String?, country: String?) -> Int {
        record.mentions += 1
        if record.role == nil { record.role = role }
        if record.country == nil { record.country = country }
        return record.mentions
    }
}
