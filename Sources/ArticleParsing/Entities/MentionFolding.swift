import NewsModel

/// After classification: shorter and repeated mentions fold into the names they refer to.
extension EntityRecognizer {
    /// Single capitalized words that are the last name of a known person, or an acronym defined earlier,
    /// count as mentions of it.
    mutating func foldShortMentions(_ spans: [Range<Int>]) {
        let tokens = text.tokens
        var covered = [Bool](repeating: false, count: tokens.count)
        for index in definitions where index < tokens.count { covered[index] = true }
        for mention in mentions { for index in mention.tokens where index < tokens.count { covered[index] = true } }
        for span in spans {
            for index in span where !covered[index] && tokens[index].isWord {
                if let person = lastNames[bareLower(index)] {
                    bump(.person, person, index)
                } else if let expansion = acronyms[text.form(index)], tokens[index].isAllCaps {
                    bump(.organization, expansion, index)
                }
            }
        }
        // Single-word persons found only by a speech verb that turn out to be a known last name were
        // counted above; drop single-word "persons" that are also a longer person's last name. (Listed
        // first: changing the dictionary while iterating it would copy it whole.)
        let singleWordPersons = Array(records.lazy.filter { $0.value.kind == .person && !$0.value.name.utf8.contains(UInt8(ascii: " ")) })
        for (key, record) in singleWordPersons {
            if let full = lastNames[record.name.lowercased()], full != record.name, records[Key(kind: .person, name: full)] != nil {
                records[Key(kind: .person, name: full)]?.mentions += record.mentions
                records[key] = nil
            }
        }
    }

    /// A "person" whose name begins an organization's name in the same text (`Merrill Lynch` beside
    /// `Merrill Lynch and Co Inc`, `Morgan Stanley` beside `Morgan Stanley Group`) is that organization,
    /// unless the text names the person in full far more often.
    mutating func foldPersonsIntoOrganizations() {
        // Organizations by each of their leading word sequences (`Merrill`, `Merrill Lynch`, ...): a person
        // looks up its whole name once instead of comparing it with every organization.
        var byLeadingWords: [Substring: [Record]] = [:]
        for record in records.values where record.kind == .organization {
            // Spaces found in the bytes: walking Characters costs grapheme breaking.
            let utf8 = record.name.utf8
            var index = utf8.startIndex
            while let space = utf8[index...].firstIndex(of: UInt8(ascii: " ")) {
                byLeadingWords[record.name[..<space], default: []].append(record)
                index = utf8.index(after: space)
            }
        }
        guard !byLeadingWords.isEmpty else { return }
        // Person name to the organization it folds into; records and mentions change after the choices
        // (changing the dictionary while iterating it would copy it whole).
        var folds: [(key: Key, record: Record, organization: String)] = []
        for (key, record) in records where record.kind == .person {
            guard let candidates = byLeadingWords[Substring(record.name)] else { continue }
            // The shortest such name, the first mentioned among equals (records are a dictionary: the
            // choice must not depend on its order).
            var best: Record? = nil
            for candidate in candidates {
                if let current = best, (current.name.utf8.count, current.firstSeen, current.name)
                    <= (candidate.name.utf8.count, candidate.firstSeen, candidate.name) {
                    continue
                }
                best = candidate
            }
            guard let best else { continue }
            // A person named in full far more often than the organization named after them is that person
            // (`Robert Kilroy-Silk`, 16 mentions, beside one `Robert Kilroy-Silk Party`); one word is more
            // often a company (`Pirelli` beside `Pirelli Tyre`).
            let fullName = record.name.utf8.contains(UInt8(ascii: " "))
            if fullName, record.mentions >= 4, record.mentions >= 3 * best.mentions { continue }
            folds.append((key, record, best.name))
        }
        guard !folds.isEmpty else { return }
        var folded: [String: String] = [:]
        for fold in folds {
            records[fold.key] = nil
            records[Key(kind: .organization, name: fold.organization)]?.mentions += fold.record.mentions
            folded[fold.record.name] = fold.organization
        }
        for number in mentions.indices where mentions[number].kind == .person {
            guard let organization = folded[mentions[number].name] else { continue }
            mentions[number].kind = .organization
            mentions[number].name = organization
        }
    }

    /// An organization or place of two words or more whose name ends a longer person's name
    /// (`Bra Kanon` beside `Denis Bra Kanon`) is that person: the model typed a later, shorter mention
    /// differently.
    mutating func foldNamesIntoPersons() {
        guard !personsByLastWord.isEmpty else { return }
        var folds: [(key: Key, record: Record, person: String)] = []
        for key in records.keys where key.kind != .person && key.name.utf8.contains(UInt8(ascii: " ")) {
            guard let last = key.name.split(separator: " ").last, let candidates = personsByLastWord[last.lowercased()],
                  let record = records[key]
            else { continue }
            let ending = " " + record.name.lowercased()
            // The first mentioned such person (records are a dictionary: the choice must not depend on
            // its order).
            var best: Record?
            for candidate in candidates where candidate.lower.hasSuffix(ending) {
                guard let person = records[Key(kind: .person, name: candidate.name)] else { continue }
                if let current = best, (current.firstSeen, current.name) <= (person.firstSeen, person.name) { continue }
                best = person
            }
            if let best { folds.append((key, record, best.name)) }
        }
        guard !folds.isEmpty else { return }
        var folded: [Key: String] = [:]
        for fold in folds {
            records[fold.key] = nil
            records[Key(kind: .person, name: fold.person)]?.mentions += fold.record.mentions
            folded[fold.key] = fold.person
        }
        for number in mentions.indices where mentions[number].kind != .person {
            guard let person = folded[Key(kind: mentions[number].kind, name: mentions[number].name)] else { continue }
            mentions[number].kind = .person
            mentions[number].name = person
        }
    }

    /// Every other occurrence of a recognized name's exact words (`the Nagorno-Karabakh region` makes
    /// `Nagorno-Karabakh` a place; `the Nagorno-Karabakh conflict` then counts too).
    mutating func foldRepeatedNames() {
        let tokens = text.tokens
        // Each name once, by the form id of its first word, longest first; its words are those of its
        // first mention, compared by form id without Strings.
        struct Candidate {
            var first: Int32
            var words: Range<Int>
            var kind: Kind
            var name: String
        }
        var seen = Set<Key>(minimumCapacity: mentions.count)
        var candidates: [Candidate] = []
        candidates.reserveCapacity(mentions.count)
        for mention in mentions where !mention.tokens.isEmpty && seen.insert(Key(kind: mention.kind, name: mention.name)).inserted {
            candidates.append(Candidate(
                first: tokens[mention.tokens.lowerBound].form, words: mention.tokens, kind: mention.kind, name: mention.name))
        }
        guard !candidates.isEmpty else { return }
        // Stable: names of one first word and length keep the order of their first mention.
        candidates = candidates.enumerated().sorted { a, b in
            (a.element.first, -a.element.words.count, a.offset) < (b.element.first, -b.element.words.count, b.offset)
        }.map(\.element)
        var firstCandidate = [Int32](repeating: -1, count: text.forms.count)
        for (number, candidate) in candidates.enumerated().reversed() { firstCandidate[Int(candidate.first)] = Int32(number) }
        var covered = [Bool](repeating: false, count: tokens.count)
        for index in definitions { covered[index] = true }
        for mention in mentions { for index in mention.tokens { covered[index] = true } }
        var index = 0
        while index < tokens.count {
            let form = tokens[index].form
            guard !covered[index], tokens[index].isCapitalized, firstCandidate[Int(form)] >= 0 else {
                index += 1
                continue
            }
            var matched = 0
            var number = Int(firstCandidate[Int(form)])
            while number < candidates.count, candidates[number].first == form {
                let candidate = candidates[number]
                number += 1
                let length = candidate.words.count
                let end = index + length
                guard end <= tokens.count,
                      (0..<length).allSatisfy({ !covered[index + $0] && tokens[index + $0].form == tokens[candidate.words.lowerBound + $0].form })
                else { continue }
                if end < tokens.count, tokens[end].isCapitalized, tokens[end].spaceBefore { continue }
                bump(candidate.kind, candidate.name, index, length: length)
                matched = length
                break
            }
            index += max(1, matched)
        }
    }

    mutating func bump(_ kind: Kind, _ name: String, _ index: Int, length: Int = 1) {
        records[Key(kind: kind, name: name)]?.mentions += 1
        mentions.append(Mention(tokens: index..<(index + length), kind: kind, name: name))
    }
}

extension EntityRecognizer {
    /// One name, one kind in a text. The model types each mention from its context, so a name it does not
    /// know can come out as two kinds (`Google` a place after `investors in`, a person after
    /// `search-engine`); annotated news gives one name two kinds in under 1% of a document's names, nearly
    /// all of them a city that is also its team (`at Detroit`, `Detroit 5 Milwaukee 3`). So:
    /// - a country's name is a place (national teams are written as their country);
    /// - a known city or region that is also an organization stays both, and is never a person;
    /// - a name of two words or more whose words say its kind takes it (`Menatep Group` an organization,
    ///   `Waupaca County` a place, `Maria Brandon` a person);
    /// - any other name keeps the kind of most of its mentions, on a tie the first of `tieOrder`.
    mutating func foldKindConflicts() {
        // Each name's kinds as bits: most texts have no name of two kinds, and find out with one lookup a
        // record.
        var kindBits: [String: UInt8] = [:]
        kindBits.reserveCapacity(records.count)
        var split = false
        for key in records.keys {
            let bit: UInt8 = key.kind == .person ? 1 : key.kind == .organization ? 2 : 4
            let bits = kindBits[key.name, default: 0]
            if bits != 0 { split = true }
            kindBits[key.name] = bits | bit
        }
        guard split else { return }
        // Name -> (the kind its mentions take, the kinds folded into it).
        var folds: [String: (kind: Kind, from: [Kind])] = [:]
        for (name, bits) in kindBits where bits.nonzeroBitCount > 1 {
            let kinds = [Kind.person, .organization, .location].enumerated()
                .filter { bits & (1 << $0.offset) != 0 }.map(\.element)
            if kinds.contains(.location) {
                let key = Gazetteer.key(name)
                if Gazetteer.countryCode(forKey: key) != nil {
                    folds[name] = (.location, kinds.filter { $0 != .location })
                    continue
                }
                if Gazetteer.isPlace(key: key) {
                    if kinds.contains(.person) { folds[name] = (.location, [.person]) }
                    continue
                }
            }
            if let kind = Self.kindByWords(name), kinds.contains(kind) {
                folds[name] = (kind, kinds.filter { $0 != kind })
                continue
            }
            func rank(_ kind: Kind) -> (Int, Int) {
                (records[Key(kind: kind, name: name)]?.mentions ?? 0, -(Self.tieOrder.firstIndex(of: kind) ?? 0))
            }
            guard let kind = kinds.max(by: { rank($0) < rank($1) }) else { continue }
            folds[name] = (kind, kinds.filter { $0 != kind })
        }
        guard !folds.isEmpty else { return }
        for (name, fold) in folds {
            let target = Key(kind: fold.kind, name: name)
            guard var merged = records[target] else { continue }
            for other in fold.from {
                guard let record = records.removeValue(forKey: Key(kind: other, name: name)) else { continue }
                merged.absorb(record)
            }
            records[target] = merged
        }
        for number in mentions.indices {
            guard let fold = folds[mentions[number].name], fold.from.contains(mentions[number].kind) else { continue }
            mentions[number].kind = fold.kind
        }
    }

    /// The kind a name's own words give it, if they do: an organization word or a place noun last, a
    /// given name first.
    static func kindByWords(_ name: String) -> Kind? {
        let words = name.split(separator: " ")
        guard words.count >= 2, let first = words.first, let last = words.last else { return nil }
        let lastWord = last.lowercased()
        if Lexicon.organizationWords.contains(lastWord) { return .organization }
        if Lexicon.placeNouns.contains(lastWord) { return .location }
        if NameLists.firstNames.contains(first.lowercased()) { return .person }
        return nil
    }

    static let tieOrder: [Kind] = [.organization, .person, .location]
}
