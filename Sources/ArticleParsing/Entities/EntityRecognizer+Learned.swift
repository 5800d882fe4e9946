/// Records from the learned model's spans: the model says where a name is and what it names; the rules
/// say the rest (a person's title before the name, a place's country, an acronym's expansion).
extension EntityRecognizer {
    /// Where rules know better than a model trained on 1996 sports-heavy wires:
    /// - a name does not run across a comma, nor start or end with a lower-case word (greedy decoding
    ///   can run on: `Exchequer Nigel Lawson, Foreign Secretary Geoffrey Howe`, `Reagan's budget`);
    /// - a span of another type that ends with a given name and a surname, or a title and a name, ends
    ///   with a person (`Exchequer Nigel Lawson`, `Bank of Japan Governor Satoshi Sumita`);
    /// - a capitalized run that ends with a title and a name is that person (`Secretary of State George
    ///   Shultz`); one that ends with an organization word and holds only organization spans is one
    ///   organization (`Standard and Poor's Corp`);
    /// - a MISC phrase that ends with an organization word is an organization (`World Health Organization`);
    /// - initials before a name belong to it (`E.F. Hutton`), and so do `New` and `First` inside a
    ///   sentence (`First Boston Corp`);
    /// - a name right after an honorific is a person (`Mr. Smith`);
    /// - units and common acronyms alone are no organization (`GMT`, `TV`).
    func refine(_ found: [LearnedSpans.Span], runs: [Range<Int>]) -> [LearnedSpans.Span] {
        let tokens = text.tokens
        var learned: [LearnedSpans.Span] = []
        learned.reserveCapacity(found.count)
        func keep(_ span: LearnedSpans.Span) {
            var start = span.tokens.lowerBound
            var end = span.tokens.upperBound
            while start < end, tokens[start].kind != .number, !tokens[start].isCapitalized, !tokens[start].isAllCaps { start += 1 }
            while end > start, tokens[end - 1].kind != .number, !tokens[end - 1].isCapitalized, !tokens[end - 1].isAllCaps,
                  !(tokens[end - 1].kind == .punctuation && text.has(.period, end - 1) && end - 2 >= start && text.hasInnerPeriod(end - 2)) {
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
        // Capitalized runs the rules read better.
        var byRuns: [LearnedSpans.Span] = []
        byRuns.reserveCapacity(learned.count)
        var next = 0
        for run in runs {
            var inside: [LearnedSpans.Span] = []
            while next < learned.count, learned[next].tokens.lowerBound < run.upperBound {
                if learned[next].tokens.upperBound <= run.lowerBound || learned[next].tokens.upperBound > run.upperBound {
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
            } else if inside.count > 1, inside.allSatisfy({ $0.type == .organization }),
                      bareFacts(run.upperBound - 1).contains(.organizationWord),
                      inside.last?.tokens.upperBound == run.upperBound {
                byRuns.append(LearnedSpans.Span(tokens: run, type: .organization))
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
            if span.type == .misc, span.tokens.count >= 2, bareFacts(span.tokens.upperBound - 1).contains(.organizationWord) {
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
            if span.type == .organization, span.tokens.count == 1,
               text.has(.commonCapitalized, first) || Lexicon.commonAcronyms.contains(text.lower(first)) {
                continue
            }
            result.append(span)
        }
        return result
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
                  !Gazetteer.isPlace(key: Gazetteer.key(text.text(from: end - 2, through: end - 1))) {
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
        // A sentence's first word that is no name (`An International Monetary Fund`), as the rules drop it.
        while start < end - 1, text.has(.commonCapitalized, start), !tokens[start].isAllCaps, !text.has(.honorific, start),
              !startsName(start, end) {
            start += 1
        }
        // An acronym in parentheses after its expansion is part of that mention.
        guard !definitions.contains(start) else { return }
        while end > start + 1, tokens[end - 1].kind == .punctuation, !text.has(.period, end - 1) || !text.hasInnerPeriod(end - 2) {
            end -= 1
        }
        var phrase = text.text(from: start, through: end - 1)
        let possessive = text.possessiveLength(end - 1)
        if possessive > 0 { phrase = String(phrase.utf8.dropLast(possessive)) ?? phrase }
        guard !phrase.isEmpty else { return }
        switch span.type {
        case .location:
            let country = Gazetteer.countryCode(forName: phrase) ?? Gazetteer.region(phrase)?.code
                ?? NameLists.cities[Gazetteer.key(phrase)]
            add(.location, name: phrase, range: start..<end, country: country)
        case .organization:
            if end + 2 < tokens.count, text.form(end) == "(", tokens[end + 1].isAllCaps, text.form(end + 2) == ")" {
                acronyms[text.form(end + 1)] = phrase
                definitions.insert(end + 1)
            }
            if end - start == 1, tokens[start].isAllCaps, let expansion = acronyms[text.form(start)] {
                add(.organization, name: expansion, range: start..<end)
                return
            }
            let demonym = text.has(.demonym, start) ? Gazetteer.countryCode(forDemonym: text.form(start)) : nil
            add(.organization, name: phrase, range: start..<end, country: demonym)
        case .person:
            let roleStart = titleStart(before: start)
            var role: String?
            var country: String?
            if roleStart < start {
                let honorificOnly = text.has(.honorific, roleStart) && start - roleStart <= 2
                role = honorificOnly ? nil : text.text(from: roleStart, through: start - 1)
                if text.has(.demonym, roleStart) { country = Gazetteer.countryCode(forDemonym: text.form(roleStart)) }
            }
            add(.person, name: phrase, range: start..<end, role: role, country: country)
        case .misc:
            return
        }
    }

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
