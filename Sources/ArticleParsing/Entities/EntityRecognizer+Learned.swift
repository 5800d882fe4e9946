/// Records from the learned model's spans: the model says where a name is and what it names; the rules
/// say the rest (a person's title before the name, a place's country, an acronym's expansion).
extension EntityRecognizer {
    /// Where rules know better than a model trained on 1996 sports-heavy wires:
    /// - a name does not run across a comma, nor start or end with a lower-case word (greedy decoding
    ///   can run on: `Exchequer Nigel Lawson, Foreign Secretary Geoffrey Howe`, `Reagan's budget`), nor
    ///   start with an adjective (`Dallas-based`);
    /// - a span of another type that ends with a given name and a surname, or a title and a name, ends
    ///   with a person (`Exchequer Nigel Lawson`, `Bank of Japan Governor Satoshi Sumita`);
    /// - a capitalized run that ends with a title and a name is that person (`Secretary of State George
    ///   Shultz`); one that ends with an organization word and holds only organization spans is one
    ///   organization (`Bank of Tokyo Ltd`), and so is one that ends with a company's suffix and holds no
    ///   person's full name (`Standard and Poor's Corp`, however the model cut it);
    /// - a MISC phrase that ends with an organization word is an organization (`World Health Organization`:
    ///   `Organization` is not in CoNLL's training text), but a league stays MISC: in CoNLL's annotation
    ///   it is a competition (`American League`, 32 of 37 training spans that end with `League`);
    /// - an international organization's acronym is an organization (`GATT`), whatever CoNLL's treaties
    ///   taught, and so is the name it is defined for (`General Agreement on Tariffs and Trade (GATT)`);
    /// - initials before a name belong to it (`E.F. Hutton`), and so do `New` and `First` inside a
    ///   sentence (`First Boston Corp`);
    /// - a name right after an honorific is a person (`Mr. Smith`);
    /// - units and common acronyms alone are no name (`GMT`, `TV`, `GPU`, `No.`), and a capitalized
    ///   common word alone no organization;
    /// - today's companies that 1996 news cannot teach are organizations (`on Instagram`);
    /// - two complete names joined by `and` are two (`IMF and World Bank`).
    func refine(_ found: [LearnedSpans.Span], runs: [Range<Int>]) -> [LearnedSpans.Span] {
        let tokens = text.tokens
        var learned: [LearnedSpans.Span] = []
        learned.reserveCapacity(found.count)
        func keep(_ span: LearnedSpans.Span) {
            if let (first, second) = coordinated(span) {
                keep(first)
                keep(second)
                return
            }
            var start = span.tokens.lowerBound
            var end = span.tokens.upperBound
            // `Hong Kong-based Hutchison Whampoa Ltd`: the name starts after the adjective.
            if let adjective = span.tokens.dropLast().last(where: { text.form($0).endsWithLowercaseCompound }) {
                start = adjective + 1
            }
            while start < end, tokens[start].kind != .number, !tokens[start].isCapitalized, !tokens[start].isAllCaps { start += 1 }
            while end > start, tokens[end - 1].kind != .number, !tokens[end - 1].isCapitalized, !tokens[end - 1].isAllCaps,
                  !(tokens[end - 1].kind == .punctuation && text.has(.period, end - 1) && end - 2 >= start
                    && text.takesPeriod(end - 2)) {
                end -= 1
            }
            guard start < end else { return }
            learned += splitPerson(LearnedSpans.Span(tokens: start..<end, type: span.type))
        }
        for span in found {
            var start = span.tokens.lowerBound
            for index in span.tokens where text.has(.comma, index) {
                if index > start { keep(LearnedSpans.Span(tokens: start..<index, type: span.type)) }
                start = index + 1
            }
            if start < span.tokens.upperBound { keep(LearnedSpans.Span(tokens: start..<span.tokens.upperBound, type: span.type)) }
        }
        // Capitalized runs the rules read better. A span may end with an abbreviation's period (`Corp.`),
        // which no run holds.
        func wordEnd(_ span: LearnedSpans.Span) -> Int {
            let end = span.tokens.upperBound
            return end - 2 >= span.tokens.lowerBound && text.has(.period, end - 1) && text.mayBeAbbreviation(end - 2) ? end - 1 : end
        }
        var byRuns: [LearnedSpans.Span] = []
        byRuns.reserveCapacity(learned.count)
        var next = 0
        for run in runs {
            var inside: [LearnedSpans.Span] = []
            while next < learned.count, learned[next].tokens.lowerBound < run.upperBound {
                if learned[next].tokens.upperBound <= run.lowerBound || wordEnd(learned[next]) > run.upperBound {
                    byRuns.append(learned[next])
                } else {
                    inside.append(learned[next])
                }
                next += 1
            }
            guard !inside.isEmpty else { continue }
            if run.count >= 3, let nameStart = titledPersonStart(run.lowerBound, run.upperBound),
               inside.contains(where: { $0.tokens.overlaps(nameStart..<run.upperBound) }) {
                let roleStart = titleStart(before: nameStart)
                byRuns += inside.filter { $0.tokens.upperBound <= roleStart }
                byRuns.append(LearnedSpans.Span(tokens: nameStart..<run.upperBound, type: .person))
            } else if let last = inside.last, coordinated(LearnedSpans.Span(tokens: run, type: .organization)) == nil,
                      (wordEnd(last) == run.upperBound && inside.count > 1 && inside.allSatisfy({ $0.type == .organization })
                          && bareFacts(run.upperBound - 1).contains(.organizationWord))
                      // The model may leave the suffix out (`Standard` `and` `Poor` `'s Corp.`).
                      || (run.count >= 2 && Lexicon.companySuffixes.contains(bareLower(run.upperBound - 1))
                          && !inside.contains(where: { $0.type == .person && $0.tokens.count > 1 })
                          && !run.allSatisfy({ tokens[$0].isAllCaps || !tokens[$0].isWord })) {
                // Not a headline in capitals (`OFFER FROM THETA CORP`); not an adjective before the
                // name (`Dallas-based Diamond Shamrock Corp`). The suffix's period, when the model's
                // span held it, stays with it.
                let start = run.last(where: { text.form($0).endsWithLowercaseCompound }).map { $0 + 1 } ?? run.lowerBound
                byRuns.append(LearnedSpans.Span(tokens: start..<max(run.upperBound, last.tokens.upperBound), type: .organization))
            } else {
                byRuns += inside
            }
        }
        byRuns += learned[next...]
        var result: [LearnedSpans.Span] = []
        result.reserveCapacity(byRuns.count)
        var index = 0
        while index < byRuns.count {
            var span = byRuns[index]
            index += 1
            let start = span.tokens.lowerBound
            // Initials before a name: `E.F.` `Hutton` is one name.
            if span.tokens.count <= 2, text.hasInnerPeriod(start), index < byRuns.count,
               byRuns[index].tokens.lowerBound == span.tokens.upperBound {
                span = LearnedSpans.Span(tokens: start..<byRuns[index].tokens.upperBound, type: byRuns[index].type)
                index += 1
            }
            if span.type == .misc, span.tokens.count >= 2, bareFacts(span.tokens.upperBound - 1).contains(.organizationWord),
               bareLower(span.tokens.upperBound - 1) != "league" {
                span.type = .organization
            }
            if span.type == .misc, isInternationalOrganization(span.tokens) {
                span.type = .organization
            }
            if start > 0, tokens[start - 1].isCapitalized, tokens[start - 1].isWord, startsName(start - 1, span.tokens.upperBound),
               !(result.last.map { $0.tokens.contains(start - 1) } ?? false) {
                span.tokens = (start - 1)..<span.tokens.upperBound
            }
            let first = span.tokens.lowerBound
            let afterHonorific = (first >= 1 && text.has(.honorific, first - 1))
                || (first >= 2 && text.has(.period, first - 1) && text.has(.honorific, first - 2))
            if afterHonorific { span.type = .person }
            // One word, with an abbreviation's period (`No.`) or without.
            let oneWord = span.tokens.count == 1 || (span.tokens.count == 2 && text.has(.period, first + 1))
            if oneWord, (span.type == .organization && span.tokens.count == 1 && text.has(.commonCapitalized, first))
                || Lexicon.commonAcronyms.contains(text.lower(first)) {
                continue
            }
            if let previous = result.last, let merged = definedAcross(previous, span) {
                result[result.count - 1] = merged
                continue
            }
            result.append(span)
        }
        return result
    }

    /// An international organization's acronym (`GATT`), or its name with the acronym defined right after
    /// it (`General Agreement on Tariffs and Trade (GATT)`).
    func isInternationalOrganization(_ range: Range<Int>) -> Bool {
        if range.count == 1 { return Lexicon.internationalOrganizations.contains(text.form(range.lowerBound)) }
        guard let acronym = acronymDefined(after: range.upperBound) else { return false }
        return Lexicon.internationalOrganizations.contains(acronym)
            && Self.spells(acronym, text.text(from: range.lowerBound, through: range.upperBound - 1))
    }

    /// Two organizations that the acronym defined right after the second spells together, with the
    /// connectives between them, as one: `United Nations Conference` `on` `Trade and Development`
    /// `(UNCTAD)`. Nil when the acronym spells the second alone, or the two are not so joined.
    func definedAcross(_ first: LearnedSpans.Span, _ second: LearnedSpans.Span) -> LearnedSpans.Span? {
        let end = second.tokens.upperBound
        guard first.type == .organization, second.type == .organization, let acronym = acronymDefined(after: end),
              first.tokens.upperBound < second.tokens.lowerBound,
              (first.tokens.upperBound..<second.tokens.lowerBound).allSatisfy({ text.has(.connector, $0) && !tokens($0).isCapitalized })
        else { return nil }
        guard !Self.spells(acronym, text.text(from: second.tokens.lowerBound, through: end - 1)),
              Self.spells(acronym, text.text(from: first.tokens.lowerBound, through: end - 1))
        else { return nil }
        return LearnedSpans.Span(tokens: first.tokens.lowerBound..<end, type: .organization)
    }

    /// An organization (or MISC) span that is two names joined by `and`, each complete on its own: an acronym
    /// (`IMF`), or two words or more ending with an organization's head (`World Bank`); the first may
    /// also be a country (`the U.S. and the European Community`). Nil for one name with an `and` inside
    /// (`Standard and Poor's Corp`, `Food and Agriculture Organization`, `House Ways and Means Committee`).
    func coordinated(_ span: LearnedSpans.Span) -> (LearnedSpans.Span, LearnedSpans.Span)? {
        let range = span.tokens
        // MISC too: a MISC phrase that ends with an organization's head becomes one (see ``refine``).
        guard span.type == .organization || span.type == .misc, range.count >= 3 else { return nil }
        func isAcronym(_ range: Range<Int>) -> Bool {
            range.count == 1 && tokens(range.lowerBound).isAllCaps && text.form(range.lowerBound).utf8.count >= 2
        }
        // Two words or more, ending with a head, and not all organization words (`Trust Co` in
        // `Continental Illinois National Bank and Trust Co` names nothing on its own).
        func complete(_ range: Range<Int>) -> Bool {
            if isAcronym(range) { return true }
            guard range.count >= 2, Lexicon.organizationHeads.contains(bareLower(range.upperBound - 1)) else { return false }
            return range.contains { tokens($0).isWord && !bareFacts($0).contains(.organizationWord) }
        }
        for index in (range.lowerBound + 1)..<(range.upperBound - 1) where tokens(index).word == andWord {
            let left = (text.lower(range.lowerBound) == "the" ? range.lowerBound + 1 : range.lowerBound)..<index
            var rightStart = index + 1
            if text.lower(rightStart) == "the", rightStart + 1 < range.upperBound { rightStart += 1 }
            let right = rightStart..<range.upperBound
            guard complete(right), tokens(rightStart).isCapitalized else { continue }
            if complete(left) {
                return (LearnedSpans.Span(tokens: left, type: .organization), LearnedSpans.Span(tokens: right, type: .organization))
            }
            if Gazetteer.countryCode(forName: text.text(from: left.lowerBound, through: left.upperBound - 1)) != nil {
                return (LearnedSpans.Span(tokens: left, type: .location), LearnedSpans.Span(tokens: right, type: .organization))
            }
        }
        return nil
    }

    /// A span that is not a person's but ends with one, cut in two.
    func splitPerson(_ span: LearnedSpans.Span) -> [LearnedSpans.Span] {
        let start = span.tokens.lowerBound
        let end = span.tokens.upperBound
        guard span.type != .person, end - start >= 3 else { return [span] }
        var nameStart: Int?
        if let titled = titledPersonStart(start, end) {
            nameStart = titled
        } else if text.has(.firstName, end - 2), tokens(end - 2).isCapitalized, !tokens(end - 2).isAllCaps,
                  tokens(end - 1).isCapitalized, !tokens(end - 1).isAllCaps,
                  !bareFacts(end - 1).contains(.organizationWord), !text.has(.connector, end - 3),
                  !Gazetteer.isPlace(key: Gazetteer.key(text.text(from: end - 2, through: end - 1))),
                  // `Los Angeles Dodgers`, `San Diego Padres`: the given name ends a place.
                  !Gazetteer.isPlace(key: Gazetteer.key(text.text(from: end - 3, through: end - 2))) {
            nameStart = end - 2
        }
        guard let nameStart else { return [span] }
        // The title between the two stays out of both; ``titleStart(before:)`` finds it again.
        let roleStart = titleStart(before: nameStart)
        var pieces: [LearnedSpans.Span] = []
        if roleStart > start { pieces.append(LearnedSpans.Span(tokens: start..<roleStart, type: span.type)) }
        pieces.append(LearnedSpans.Span(tokens: nameStart..<end, type: .person))
        return pieces
    }

    mutating func classifyLearned(_ span: LearnedSpans.Span) {
        let tokens = text.tokens
        var start = span.tokens.lowerBound
        var end = span.tokens.upperBound
        // A sentence's first word that is no name (`An International Monetary Fund`), as the rules drop it;
        // but `A.` is an initial (`A. Hollioake`), and inside a sentence a capital says the word is part of
        // the name (`at The Oval`).
        let sentenceStart = text.sentences[Int(tokens[start].sentence)].tokens.lowerBound
        while start < end - 1, text.has(.commonCapitalized, start), !tokens[start].isAllCaps, !text.has(.honorific, start),
              (sentenceStart..<start).allSatisfy({ tokens[$0].kind == .punctuation }),
              !startsName(start, end), !(text.has(.period, start + 1) && !tokens[start + 1].spaceBefore) {
            start += 1
        }
        // An honorific is no part of a person's name (`Mr Blair`, which the model sometimes takes in).
        if span.type == .person {
            while start < end - 1, text.has(.honorific, start) {
                // `Mr. Smith`: the honorific's period goes with it.
                start += (start + 2 < end && text.has(.period, start + 1)) ? 2 : 1
            }
        }
        // An acronym in parentheses after its expansion is part of that mention.
        guard !definitions.contains(start) else { return }
        while end > start + 1, tokens[end - 1].kind == .punctuation,
              !text.has(.period, end - 1) || !text.takesPeriod(end - 2) {
            end -= 1
        }
        // `Channel 4`, `BBC Radio 4`: a broadcaster's number is part of its name, as annotated news
        // writes it (`Channel Two`), where the model, which saw few such names, leaves it out.
        // (The text's token holds a possessive: `4's`.)
        if span.type == .organization, end < tokens.count, tokens[end].spaceBefore,
           case let digits = text.form(end).utf8.dropLast(text.possessiveLength(end)),
           (1...2).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
           Lexicon.numberedMedia.contains(bareLower(end - 1)) {
            end += 1
        }
        var phrase = text.text(from: start, through: end - 1)
        let possessive = text.possessiveLength(end - 1)
        if possessive > 0 { phrase = String(phrase.utf8.dropLast(possessive)) ?? phrase }
        guard !phrase.isEmpty, works.isEmpty || !works.contains(phrase) else { return }
        var type = span.type
        if type != .organization, end - start == 1, Lexicon.organizationNames.contains(bareLower(start)) {
            type = .organization
        }
        switch type {
        case .location:
            // A title's word alone is no place (`Shadow home secretary David Davis`).
            if end - start == 1, text.has(.roleWord, start) { return }
            let key = Gazetteer.key(phrase)
            let country = Gazetteer.countryCode(forKey: key) ?? Gazetteer.region(key: key)?.code ?? NameLists.cities[key]
            add(.location, name: phrase, range: start..<end, country: country)
        case .organization:
            if let acronym = acronymDefined(after: end) {
                acronyms[acronym] = phrase
                definitions.insert(end + 1)
            }
            if end - start == 1, tokens[start].isAllCaps, let expansion = acronyms[text.form(start)] {
                add(.organization, name: expansion, range: start..<end)
                return
            }
            let demonym = text.has(.demonym, start) ? Gazetteer.countryCode(forDemonym: text.form(start)) : nil
            add(.organization, name: phrase, range: start..<end, country: demonym)
        case .person:
            // `Ministry` alone names no one (`an Agriculture Ministry official`).
            if end - start == 1, Lexicon.organizationHeads.contains(bareLower(start)) { return }
            let roleStart = titleStart(before: start)
            var role: String?
            var country: String?
            if roleStart < start {
                let honorificOnly = text.has(.honorific, roleStart) && start - roleStart <= 2
                // The role ends before an honorific (`home secretary` `Mr` `Davis`) and never with a
                // preposition (`chancellor under` `Nigel Lawson`).
                var roleEnd = start
                while roleEnd > roleStart + 1, text.has(.honorific, roleEnd - 1) || text.has(.period, roleEnd - 1)
                        || Self.roleLinks.contains(text.lower(roleEnd - 1)) {
                    roleEnd -= 1
                }
                let linkOnly = roleEnd == roleStart + 1 && Self.roleLinks.contains(text.lower(roleStart))
                role = honorificOnly || linkOnly ? nil : text.text(from: roleStart, through: roleEnd - 1)
                if text.has(.demonym, roleStart) { country = Gazetteer.countryCode(forDemonym: text.form(roleStart)) }
            }
            add(.person, name: phrase, range: start..<end, role: role, country: country)
        case .misc:
            // `the Nagorno-Karabakh region`: most hyphenated names in the training news are adjectives
            // (`Anglo-Dutch`, `Franco-German`), so the model reads a compound place name as one too.
            // Before a place noun, a compound none of whose parts is a demonym or reads as an adjective
            // is the place.
            if end < tokens.count, tokens[end].isWord, text.has(.placeNoun, end), isCompoundPlaceName(start..<end) {
                add(.location, name: phrase, range: start..<end)
            }
        }
    }

    /// Whether a span is the title of a work, named right after a word for one, a `The` between them
    /// allowed (`movie The Aviator`, `his first book Angels and Demons`). Not a person's name by a given
    /// name (`in the film Tom Hanks plays`).
    func isWorkTitle(_ span: LearnedSpans.Span) -> Bool {
        var before = span.tokens.lowerBound - 1
        if before >= 0, text.lower(before) == "the", tokens(before).isCapitalized { before -= 1 }
        guard before >= 0, tokens(before).isWord, !tokens(before).isCapitalized,
              Lexicon.workNouns.contains(text.lower(before))
        else { return false }
        return !(span.type == .person && span.tokens.count >= 2 && text.has(.firstName, span.tokens.lowerBound))
    }

    /// One to three words, one of them two capitalized parts joined by a hyphen, and no part a demonym
    /// or an adjective by its ending (`Sino-Russian`, `Greek-Cypriot`, `Indo-Pakistani`).
    func isCompoundPlaceName(_ range: Range<Int>) -> Bool {
        guard range.count <= 3 else { return false }
        var compound = false
        for index in range {
            guard tokens(index).isWord, tokens(index).isCapitalized else { return false }
            let parts = text.form(index).split(separator: "-")
            if parts.count >= 2 { compound = true }
            for part in parts {
                guard let first = part.first, first.isUppercase, Gazetteer.countryCode(forDemonym: part) == nil,
                      !Self.adjectiveEndings.contains(where: { part.hasSuffix($0) })
                else { return false }
            }
        }
        return compound
    }

    /// Role words that join two others and end no role (`under secretary`, `secretary of state`).
    static let roleLinks: Set<String> = ["under", "of"]

    private static let adjectiveEndings = ["an", "ish", "ic", "ese", "i", "ch"]

    /// Where a title right before a name starts (`Foreign Minister`, `Mr.`, `Secretary of State`,
    /// `Azerbaijani Foreign Minister`): `index` itself when there is none.
    func titleStart(before index: Int) -> Int {
        let tokens = text.tokens
        guard index > 0 else { return index }
        let sentenceStart = text.sentences[Int(tokens[index].sentence)].tokens.lowerBound
        var start = index
        while start > sentenceStart {
            let previous = start - 1
            if text.has(.roleWord, previous) || text.has(.honorific, previous) {
                start = previous
            } else if text.has(.period, previous), previous > sentenceStart, text.has(.honorific, previous - 1),
                      !tokens[previous].spaceBefore {
                start = previous
            } else if start < index, text.has(.demonym, previous), tokens[previous].isCapitalized {
                start = previous
                break
            } else if start < index, previous > sentenceStart, text.lower(previous) == "of",
                      text.has(.roleWord, previous - 1) {
                start = previous
            } else {
                break
            }
        }
        // A title never starts with `of`.
        while start < index, text.lower(start) == "of" { start += 1 }
        return start
    }
}

extension String {
    /// Whether the form ends with a hyphen and a lower-case word: an adjective (`Dallas-based`, `BBB-plus`).
    var endsWithLowercaseCompound: Bool {
        guard let hyphen = utf8.lastIndex(of: UInt8(ascii: "-")) else { return false }
        let tail = utf8[utf8.index(after: hyphen)...]
        return !tail.isEmpty && tail.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }
}
