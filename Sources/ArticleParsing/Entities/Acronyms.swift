/// Acronyms and the names they stand for: one organization, whichever the text writes first.
extension EntityRecognizer {
    /// Folds an organization written as an acronym into the organization it stands for, and records the
    /// acronym beside the full name:
    /// - defined in parentheses anywhere in the text (`OECD said ... the Organisation for Economic
    ///   Cooperation and Development (OECD)`), so mentions before the definition count too;
    /// - otherwise, when its letters spell exactly one other organization of the text
    ///   (`ICCO` beside `International Cocoa Organization`, see ``spells(_:_:)``).
    mutating func foldAcronyms() {
        for acronym in acronyms.keys.sorted() {
            guard let expansion = acronyms[acronym], Self.spells(acronym, expansion) else { continue }
            records[Key(kind: .organization, name: expansion)]?.acronym = Self.bare(acronym)
        }
        let written = records.values.filter { $0.kind == .organization && Self.isAcronym($0.name) }
        guard !written.isEmpty else { return }
        let names = records.values.filter { $0.kind == .organization && $0.name.utf8.contains(UInt8(ascii: " ")) }
            .map(\.name).sorted()
        for record in written {
            let expansion: String
            if let defined = acronyms[record.name], records[Key(kind: .organization, name: defined)] != nil {
                expansion = defined
            } else {
                // Two letters spell too many names (`EC`: `European Community`, `Engelhard Corp`).
                guard Self.bare(record.name).utf8.count >= 3 else { continue }
                let spelled = names.filter { Self.spells(record.name, $0) }
                guard spelled.count == 1, let only = spelled.first else { continue }
                expansion = only
            }
            let full = Key(kind: .organization, name: expansion)
            guard var merged = records[full] else { continue }
            records[Key(kind: .organization, name: record.name)] = nil
            merged.mentions += record.mentions
            merged.firstSeen = min(merged.firstSeen, record.firstSeen)
            merged.acronym = Self.bare(record.name)
            merged.country = merged.country ?? record.country
            records[full] = merged
            for number in mentions.indices where mentions[number].kind == .organization && mentions[number].name == record.name {
                mentions[number].name = expansion
            }
        }
    }

    /// A name written as an acronym: one word of 2 to 10 capital letters, periods allowed (`OPEC`, `U.N.`).
    static func isAcronym(_ name: String) -> Bool {
        let letters = bare(name).utf8
        return (2...10).contains(letters.count) && letters.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
            && name.utf8.allSatisfy { $0 == UInt8(ascii: ".") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// An acronym without its periods (`U.N.` → `UN`).
    static func bare(_ acronym: String) -> String {
        String(acronym.filter { $0 != "." })
    }

    /// Words an acronym may leave out or take the initial of (`Organization of Petroleum Exporting
    /// Countries` is `OPEC`, `Food and Agriculture Organization` is `FAO`).
    private static let connectives: Set<Substring> = [
        "of", "for", "and", "the", "on", "in", "to", "at", "de", "du", "des", "la", "le", "del", "y", "et", "&",
    ]

    /// Whether `acronym` spells `name`: each of the name's words, in order, gives its initial and then
    /// possibly more of its letters in order (`Cocoa` gives `CC` in `ICCO`), the last word its initial
    /// alone, and connectives their initial or nothing. Every other word must give at least its initial,
    /// so the acronym stands for the whole name and not part of it.
    static func spells(_ acronym: String, _ name: String) -> Bool {
        let letters = Array(bare(acronym).uppercased().utf8)
        let words = name.split(separator: " ")
        guard letters.count >= 2, words.count >= 2, words.count <= 12 else { return false }
        let upperWords = words.map { Array($0.uppercased().utf8).filter { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } }
        let optional = words.map { connectives.contains(Substring($0.lowercased())) }
        let lastWord = optional.lastIndex(of: false) ?? words.count - 1
        // match(letter, word): whether letters[letter...] can be spelled by words[word...].
        var failed = Set<Int>()
        func match(_ letter: Int, _ word: Int) -> Bool {
            if word == words.count { return letter == letters.count }
            let state = letter * 16 + word
            if failed.contains(state) { return false }
            defer { failed.insert(state) }
            if optional[word], match(letter, word + 1) { return true }
            let spelling = upperWords[word]
            guard letter < letters.count, let initial = spelling.first, initial == letters[letter] else { return false }
            if optional[word] { return match(letter + 1, word + 1) }
            // The last word gives its initial alone: `ECU` is not `European Community`.
            if word == lastWord { return match(letter + 1, word + 1) }
            // The initial, then each way of taking more of the word's letters in order.
            func extend(_ next: Int, from position: Int) -> Bool {
                if match(next, word + 1) { return true }
                guard next < letters.count else { return false }
                var index = position
                while index < spelling.count {
                    if spelling[index] == letters[next], extend(next + 1, from: index + 1) { return true }
                    index += 1
                }
                return false
            }
            return extend(letter + 1, from: 1)
        }
        return match(0, 0)
    }
}
