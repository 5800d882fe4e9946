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
        // Keys, not records: most texts have no acronym, and the look costs no copy of a record.
        let written = records.keys.filter { $0.kind == .organization && Self.isAcronym($0.name) }.compactMap { records[$0] }
        guard !written.isEmpty else { return }
        // The names an undefined acronym may spell, by their first letter, made only when one needs them.
        var spellable: [UInt8: [String]]?
        var spelledNames: [String: SpelledName] = [:]
        func names(startingWith letter: UInt8) -> [String] {
            if spellable == nil {
                var byLetter: [UInt8: [String]] = [:]
                for key in records.keys where key.kind == .organization && key.name.utf8.contains(UInt8(ascii: " ")) {
                    guard let first = key.name.utf8.first else { continue }
                    byLetter[first & 0xDF, default: []].append(key.name)
                }
                spellable = byLetter.mapValues { $0.sorted() }
            }
            return spellable?[letter] ?? []
        }
        var renamed: [String: String] = [:]
        for record in written.sorted(by: { $0.name < $1.name }) {
            let expansion: String
            if let defined = acronyms[record.name], records[Key(kind: .organization, name: defined)] != nil {
                expansion = defined
            } else {
                // Two letters spell too many names (`EC`: `European Community`, `Engelhard Corp`).
                let letters = Array(Self.bare(record.name).utf8)
                guard letters.count >= 3 else { continue }
                var spelled: String?
                var count = 0
                // Names spelled from their first word (a connective first, `The ...`, is not looked at).
                for name in names(startingWith: letters[0]) {
                    if spelledNames[name] == nil { spelledNames[name] = SpelledName(name) }
                    guard spelledNames[name]?.spelled(by: letters) == true else { continue }
                    spelled = name
                    count += 1
                }
                guard count == 1, let only = spelled else { continue }
                expansion = only
            }
            let full = Key(kind: .organization, name: expansion)
            guard var merged = records[full] else { continue }
            records[Key(kind: .organization, name: record.name)] = nil
            merged.absorb(record)
            merged.acronym = Self.bare(record.name)
            records[full] = merged
            renamed[record.name] = expansion
        }
        guard !renamed.isEmpty else { return }
        for number in mentions.indices where mentions[number].kind == .organization {
            if let expansion = renamed[mentions[number].name] { mentions[number].name = expansion }
        }
    }

    /// A name written as an acronym: one word of 2 to 10 capital letters, periods allowed (`OPEC`, `U.N.`).
    static func isAcronym(_ name: String) -> Bool {
        var letters = 0
        for byte in name.utf8 {
            if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
                letters += 1
            } else if byte != UInt8(ascii: ".") {
                return false
            }
        }
        return (2...10).contains(letters)
    }

    /// An acronym without its periods (`U.N.` → `UN`).
    static func bare(_ acronym: String) -> String {
        String(acronym.filter { $0 != "." })
    }

    /// Words an acronym may leave out or take the initial of (`Organization of Petroleum Exporting
    /// Countries` is `OPEC`, `Food and Agriculture Organization` is `FAO`).
    fileprivate static let connectives: Set<String> = [
        "of", "for", "and", "the", "on", "in", "to", "at", "de", "du", "des", "la", "le", "del", "y", "et", "&",
    ]

    /// Whether `acronym` spells `name` (see ``SpelledName``).
    static func spells(_ acronym: String, _ name: String) -> Bool {
        SpelledName(name)?.spelled(by: Array(bare(acronym).uppercased().utf8)) ?? false
    }
}

/// A name of two to twelve words as an acronym may spell it: each word's capital letters, and which
/// words are connectives.
struct SpelledName {
    let name: String
    private let words: [[UInt8]]
    private let connective: [Bool]
    /// The last word that is not a connective.
    private let lastWord: Int
    /// Words an acronym must give a letter to.
    private let required: Int

    init?(_ name: String) {
        let parts = name.split(separator: " ")
        guard parts.count >= 2, parts.count <= 12 else { return nil }
        self.name = name
        words = parts.map { Array($0.uppercased().utf8).filter { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) } }
        connective = parts.map { EntityRecognizer.connectives.contains($0.lowercased()) }
        lastWord = connective.lastIndex(of: false) ?? parts.count - 1
        required = connective.count { !$0 }
    }

    /// Whether the capital `letters` spell the name: each word, in order, gives its initial and then
    /// possibly more of its letters in order (`Cocoa` gives `CC` in `ICCO`), the last word its initial
    /// alone, and connectives their initial or nothing. Every other word gives at least its initial, so
    /// the acronym stands for the whole name and not part of it.
    func spelled(by letters: [UInt8]) -> Bool {
        guard letters.count >= 2, letters.count <= 16, letters.count >= required,
              words[0].first == letters[0] || connective[0] else { return false }
        // States (letter, word) already found not to spell the rest: each is tried once.
        var failed = [Bool](repeating: false, count: (letters.count + 1) * (words.count + 1))
        return match(letters, 0, 0, &failed)
    }

    private func match(_ letters: [UInt8], _ letter: Int, _ word: Int, _ failed: inout [Bool]) -> Bool {
        if word == words.count { return letter == letters.count }
        let state = letter * (words.count + 1) + word
        if failed[state] { return false }
        if attempt(letters, letter, word, &failed) { return true }
        failed[state] = true
        return false
    }

    private func attempt(_ letters: [UInt8], _ letter: Int, _ word: Int, _ failed: inout [Bool]) -> Bool {
        if connective[word], match(letters, letter, word + 1, &failed) { return true }
        let spelling = words[word]
        guard letter < letters.count, let initial = spelling.first, initial == letters[letter] else { return false }
        if connective[word] || word == lastWord { return match(letters, letter + 1, word + 1, &failed) }
        // After the initial, the word may give the next k letters for every k up to the most it can give
        // in order (matching each at its earliest place finds that most).
        var most = 0
        var position = 1
        while letter + 1 + most < letters.count, position < spelling.count {
            if spelling[position] == letters[letter + 1 + most] { most += 1 }
            position += 1
        }
        for extra in 0...most where match(letters, letter + 1 + extra, word + 1, &failed) { return true }
        return false
    }
}
