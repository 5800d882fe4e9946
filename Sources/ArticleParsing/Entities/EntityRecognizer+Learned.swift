/// Records from the learned model's spans: the model says where a name is and what it names; the rules
/// say the rest (a person's title before the name, a place's country, an acronym's expansion).
extension EntityRecognizer {
    mutating func classifyLearned(_ span: LearnedSpans.Span) {
        let tokens = text.tokens
        let start = span.tokens.lowerBound
        var end = span.tokens.upperBound
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
