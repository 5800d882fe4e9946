/// The body's paragraphs cut into tokens and sentences in one pass over their UTF-8 bytes. ASCII is
/// handled byte by byte; other characters are decoded and classified by their Unicode properties.
///
/// Each distinct written form is met once: a byte-keyed table maps a token's bytes to its form, whose
/// String, lowercased word, kind and case were worked out the first time. Repeated words (most of a text)
/// cost a hash of their bytes and one comparison.
struct TokenizedText {
    let paragraphs: [String]
    private(set) var tokens: [Token] = []
    private(set) var sentences: [Sentence] = []
    /// Each distinct lowercased word once; tokens point into it, so later stages look a word up once per
    /// article instead of once per occurrence.
    private(set) var vocabulary: [String] = []
    private var vocabularyTable: ByteTable
    /// What the word lists say of each vocabulary word.
    private(set) var facts: [WordFacts] = []
    /// Each distinct written form once.
    private(set) var forms: [String] = []
    private var formInfo: [FormInfo] = []
    private var formTable: ByteTable

    private struct FormInfo {
        var kind: Token.Kind
        var isCapitalized: Bool
        var isAllCaps: Bool
        var word: Int32
        var marks: Marks = []
        /// Length in bytes of a word's possessive ending (`'s` 2, `’s` 4), 0 for none.
        var possessive: UInt8 = 0
        /// A word with a period inside (`U.S`, `e.g`).
        var innerPeriod = false
        /// The ``ByteTable/hash(_:)`` of the form's bytes, and whether they are all ASCII.
        var hash: UInt32 = 0
        var isASCII = false
        /// How an ASCII form is written, as the entity model reads case (``NERFeatures/caseOf(_:)``).
        var letterCase: NERFeatures.Case = .other
    }

    /// What a punctuation form means to the sentence splitter and to the stages that look for commas
    /// and quotation marks (asked by id, not by comparing Strings on every token).
    struct Marks: OptionSet {
        let rawValue: UInt8
        static let sentenceEnd = Marks(rawValue: 1)
        static let period = Marks(rawValue: 2)
        static let closing = Marks(rawValue: 4)
        static let opening = Marks(rawValue: 8)
        static let comma = Marks(rawValue: 16)
        /// `"`, `“`, `«`: may open a quoted passage.
        static let openQuote = Marks(rawValue: 32)
        /// `"`, `”`, `»`: may close one.
        static let closeQuote = Marks(rawValue: 64)
    }

    init(paragraphs: [String]) {
        self.paragraphs = paragraphs
        let byteCount = paragraphs.reduce(0) { $0 + $1.utf8.count }
        tokens.reserveCapacity(byteCount / 5)
        // Distinct forms grow slower than the text: about one per ten bytes in a short story, far
        // fewer in a long one. Reserved up front so a typical article never regrows its tables.
        let distinct = min(max(byteCount / 10, 32), 4096)
        formTable = ByteTable(capacity: distinct, keyBytes: distinct * 7)
        vocabularyTable = ByteTable(capacity: distinct, keyBytes: distinct * 7)
        forms.reserveCapacity(distinct)
        formInfo.reserveCapacity(distinct)
        vocabulary.reserveCapacity(distinct)
        facts.reserveCapacity(distinct)
        var bytes: [UInt8] = []
        bytes.reserveCapacity((paragraphs.lazy.map(\.utf8.count).max() ?? 0) + 1)
        let lists = WordFacts.lists
        for (index, paragraph) in paragraphs.enumerated() {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: paragraph.utf8)
            bytes.append(0x20)
            tokenize(bytes, index: index, lists: lists)
        }
        formTable = ByteTable(capacity: 0)
        splitSentences()
    }

    /// The vocabulary id of a lowercased word, if the text has it.
    func vocabularyID(of lower: String) -> Int32? {
        var lower = lower
        return lower.withUTF8 { vocabularyTable.find($0) }
    }

    /// The vocabulary ids of the words of `other` (a title) that this text has, in order and repeated as
    /// they repeat; words are cut by ``Words/tokens(_:)``'s rules.
    func vocabularyIDs(ofWordsIn other: String) -> [Int32] {
        var ids: [Int32] = []
        let ascii = Words.forEachLowercasedASCIIToken(other) { word in
            if let id = vocabularyTable.find(word) { ids.append(id) }
        }
        guard !ascii else { return ids }
        return Words.tokens(other).compactMap { vocabularyID(of: $0.lowercased()) }
    }

    /// Token `index` as written.
    @inline(__always)
    func form(_ index: Int) -> String { forms[Int(tokens[index].form)] }

    /// Token `index` lowercased (punctuation as written).
    @inline(__always)
    func lower(_ index: Int) -> String {
        let word = tokens[index].word
        return word >= 0 ? vocabulary[Int(word)] : forms[Int(tokens[index].form)]
    }

    /// The vocabulary id of a written form (-1 for punctuation).
    func word(ofForm form: Int) -> Int32 { formInfo[form].word }

    /// The length in bytes of token `index`'s possessive ending (`'s`, `’s`) as written, 0 for none.
    @inline(__always)
    func possessiveLength(_ index: Int) -> Int { Int(formInfo[Int(tokens[index].form)].possessive) }

    /// Whether token `index` is a word with a period inside (`U.S`).
    @inline(__always)
    func hasInnerPeriod(_ index: Int) -> Bool { formInfo[Int(tokens[index].form)].innerPeriod }

    /// The ``ByteTable/hash(_:)`` of token `index`'s bytes as written (other tables keyed by written forms
    /// find it without hashing it again).
    @inline(__always)
    func formHash(_ index: Int) -> UInt32 { formInfo[Int(tokens[index].form)].hash }

    /// Whether token `index` is all ASCII as written.
    @inline(__always)
    func isASCII(_ index: Int) -> Bool { formInfo[Int(tokens[index].form)].isASCII }

    /// How token `index`, a word all in ASCII, is written, as the entity model reads case.
    @inline(__always)
    func letterCase(_ index: Int) -> NERFeatures.Case { formInfo[Int(tokens[index].form)].letterCase }

    /// Whether token `index` is punctuation with `mark`.
    @inline(__always)
    func has(_ mark: Marks, _ index: Int) -> Bool {
        formInfo[Int(tokens[index].form)].marks.contains(mark)
    }

    /// Whether token `index` is a word or number with `fact` (punctuation has none).
    @inline(__always)
    func has(_ fact: WordFacts, _ index: Int) -> Bool {
        let word = tokens[index].word
        return word >= 0 && facts[Int(word)].contains(fact)
    }

    /// Word and number tokens only.
    var wordCount: Int { tokens.reduce(0) { $0 + ($1.kind == .punctuation ? 0 : 1) } }

    /// The text of a sentence.
    func text(of sentence: Sentence) -> String {
        slice(sentence.paragraph, sentence.start, sentence.end)
    }

    private func slice(_ paragraph: Int, _ start: Int, _ end: Int) -> String {
        let utf8 = paragraphs[paragraph].utf8
        // A native String's bytes are contiguous: the slice is decoded from them directly.
        if let sliced = utf8.withContiguousStorageIfAvailable({ String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }) {
            return sliced
        }
        let from = utf8.index(utf8.startIndex, offsetBy: start)
        let to = utf8.index(from, offsetBy: end - start)
        return String(decoding: utf8[from..<to], as: UTF8.self)
    }

    /// The text between two tokens (inclusive) of one paragraph, as written.
    func text(from first: Int, through last: Int) -> String {
        let a = tokens[first]
        let b = tokens[last]
        guard a.paragraph == b.paragraph, a.start <= b.end else { return form(first) }
        return slice(a.paragraph, a.start, b.end)
    }

    // MARK: - Tokenizing

    /// Tokenizes paragraph `index`, given as its UTF-8 bytes and a space after them (a sentinel).
    private mutating func tokenize(_ bytes: [UInt8], index: Int, lists: WordFacts.Lookup) {
        var position = 0
        var spaceBefore = true
        let count = bytes.count - 1
        while position < count {
            let byte = bytes[position]
            if byte == 0x20 {
                spaceBefore = true
                position += 1
                continue
            }
            let (scalar, width) = Self.decode(bytes, at: position)
            if Self.isWordScalar(scalar) {
                let (end, isNumber) = Self.wordEnd(bytes, from: position, count: count)
                appendToken(bytes, position, end, paragraph: index, spaceBefore: spaceBefore,
                            kind: isNumber ? .number : .word, lists: lists)
                position = end
            } else {
                appendToken(bytes, position, position + width, paragraph: index, spaceBefore: spaceBefore,
                            kind: .punctuation, lists: lists)
                position += width
            }
            spaceBefore = false
        }
    }

    /// Where the word starting at `start` (a word character) ends: word characters, and apostrophes,
    /// hyphens, periods and commas between word characters (`don’t`, `Nagorno-Karabakh`, `U.S`, `1,500`,
    /// `2.5`). `bytes[count]` must exist (a sentinel).
    static func wordEnd(_ bytes: [UInt8], from start: Int, count: Int) -> (end: Int, isNumber: Bool) {
        let (first, width) = decode(bytes, at: start)
        var end = start + width
        var isNumber = isDigit(first)
        // ASCII letters and digits, the bulk of most words, by two range checks (`byte | 0x20` folds
        // the upper-case letters onto the lower-case ones; bytes past ASCII fail both).
        while end < count {
            let byte = bytes[end]
            if (byte | 0x20) &- 0x61 < 26 {
                isNumber = false
                end += 1
            } else if byte &- 0x30 < 10 {
                end += 1
            } else {
                break
            }
        }
        while end < count {
            let (next, nextWidth) = decode(bytes, at: end)
            if isWordScalar(next) {
                if isNumber && !isDigit(next) { isNumber = false }
                end += nextWidth
                continue
            }
            if isJoiner(next), end + nextWidth < count {
                let (after, _) = decode(bytes, at: end + nextWidth)
                if isWordScalar(after) && (next != "," || isNumber) {
                    end += nextWidth
                    continue
                }
            }
            break
        }
        return (end, isNumber)
    }

    /// The first word of a text as the tokenizer would cut it (used to index multi-word names).
    static func firstWord(_ text: String) -> String? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes.append(0x20)
        var position = 0
        while position < count {
            let (scalar, width) = decode(bytes, at: position)
            if isWordScalar(scalar) {
                let end = wordEnd(bytes, from: position, count: count).end
                return String(decoding: bytes[position..<end], as: UTF8.self)
            }
            position += width
        }
        return nil
    }

    private mutating func appendToken(
        _ bytes: [UInt8], _ start: Int, _ end: Int, paragraph: Int, spaceBefore: Bool, kind: Token.Kind,
        lists: WordFacts.Lookup
    ) {
        let form = bytes.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
            let hash = ByteTable.hash(slice)
            return formTable.find(slice, hash: hash) ?? newForm(slice, hash: hash, kind: kind, lists: lists)
        }
        let info = formInfo[Int(form)]
        tokens.append(Token(
            kind: info.kind, isCapitalized: info.isCapitalized, isAllCaps: info.isAllCaps, paragraph: paragraph,
            start: start, end: end, spaceBefore: spaceBefore, word: info.word, form: form))
    }

    /// Works out a form met for the first time (`hash` is its bytes' hash): its String, lowercased word,
    /// and case.
    private mutating func newForm(
        _ slice: UnsafeBufferPointer<UInt8>, hash: UInt32, kind: Token.Kind, lists: WordFacts.Lookup
    ) -> Int32 {
        let id = Int32(forms.count)
        formTable.insert(slice, hash: hash, id: id)
        let text = String(decoding: slice, as: UTF8.self)
        forms.append(text)
        guard kind != .punctuation else {
            var marks: Marks = []
            if text == "." || text == "!" || text == "?" { marks.insert(.sentenceEnd) }
            if text == "." { marks.insert(.period) }
            if Self.closingMarks.contains(text) { marks.insert(.closing) }
            if Self.openingMarks.contains(text) { marks.insert(.opening) }
            if text == "," { marks.insert(.comma) }
            if text == "\"" || text == "“" || text == "«" { marks.insert(.openQuote) }
            if text == "\"" || text == "”" || text == "»" { marks.insert(.closeQuote) }
            formInfo.append(FormInfo(kind: .punctuation, isCapitalized: false, isAllCaps: false, word: -1, marks: marks, hash: hash,
                                     isASCII: slice.allSatisfy { $0 < 0x80 }))
            return id
        }
        var isASCII = true
        var upper = 0
        var lowerCount = 0
        var firstLetter: NERFeatures.Case?
        for byte in slice {
            if byte >= 0x80 { isASCII = false; break }
            if byte >= 0x41 && byte <= 0x5A {
                upper += 1
                if firstLetter == nil { firstLetter = .capitalized }
            } else if byte >= 0x61 && byte <= 0x7A {
                lowerCount += 1
                if firstLetter == nil { firstLetter = .lower }
            }
        }
        let letterCase = NERFeatures.letterCase(first: firstLetter, upper: upper, lower: lowerCount)
        let lower: String
        let capitalized: Bool
        let allCaps: Bool
        if isASCII {
            lower = upper == 0 ? text : String(unsafeUninitializedCapacity: slice.count) { buffer in
                for (offset, byte) in slice.enumerated() {
                    buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                }
                return slice.count
            }
            capitalized = slice.first.map { $0 >= 0x41 && $0 <= 0x5A } ?? false
            allCaps = upper >= 2 && lowerCount == 0
        } else {
            lower = text.lowercased().replacing("’", with: "'")
            capitalized = text.unicodeScalars.first?.properties.isUppercase ?? false
            let letters = text.unicodeScalars.filter { $0.properties.isAlphabetic }
            allCaps = letters.count >= 2 && letters.allSatisfy { !$0.properties.isLowercase }
        }
        var lowerCopy = lower
        // A form already in lowercase (most) is its own word: its hash serves every table.
        let lowerHash: UInt32? = isASCII && upper == 0 ? hash : nil
        let word: Int32 = lowerCopy.withUTF8 { lowerBytes in
            let hash = lowerHash ?? ByteTable.hash(lowerBytes)
            if let known = vocabularyTable.find(lowerBytes, hash: hash) { return known }
            let word = Int32(vocabulary.count)
            vocabularyTable.insert(lowerBytes, hash: hash, id: word)
            vocabulary.append(lower)
            facts.append(lists.facts(of: lowerBytes, hash: hash))
            return word
        }
        if kind == .word, !capitalized, !allCaps, Self.startsWithLowercaseLetter(slice) {
            facts[Int(word)].insert(.seenInLowercase)
        }
        formInfo.append(FormInfo(
            kind: kind, isCapitalized: capitalized, isAllCaps: allCaps, word: word,
            possessive: Self.possessiveLength(slice), innerPeriod: slice.contains(UInt8(ascii: ".")), hash: hash, isASCII: isASCII,
            letterCase: letterCase))
        return id
    }

    /// The length of a word's possessive ending: `'s`/`'S` 2 bytes, `’s`/`’S` 4, 0 for none (or for a word
    /// that is nothing else, like `'s`).
    private static func possessiveLength(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        let count = bytes.count
        guard count > 2, bytes[count - 1] | 0x20 == UInt8(ascii: "s") else { return 0 }
        if bytes[count - 2] == UInt8(ascii: "'") { return 2 }
        if count > 4, bytes[count - 4] == 0xE2, bytes[count - 3] == 0x80, bytes[count - 2] == 0x99 { return 4 }
        return 0
    }

    /// Whether a word's first letter is lower case (`election`, `über`; not `2nd` or `iPhone`'s digits).
    private static func startsWithLowercaseLetter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        if first < 0x80 { return first &- 0x61 < 26 }
        let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first
        return scalar?.properties.isLowercase ?? false
    }

    /// The scalar starting at `index` and its width in bytes. The bytes are a String's, so valid UTF-8;
    /// a sequence cut short still gives U+FFFD rather than reading past the end.
    @inline(__always)
    private static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard width > 1, index + width <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
        for offset in 1..<width {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return ("\u{FFFD}", 1) }
            value = value << 6 | UInt32(next & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return ("\u{FFFD}", 1) }
        return (scalar, width)
    }

    @inline(__always)
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        }
        // General punctuation (dashes, typographic quotes, spaces, invisible formatting): never word
        // characters, and common enough in news to skip the property lookups.
        if value >= 0x2000 && value <= 0x206F { return false }
        let properties = scalar.properties
        return properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
    }

    @inline(__always)
    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return value >= 0x30 && value <= 0x39 }
        return scalar.properties.numericType != nil
    }

    @inline(__always)
    private static func isJoiner(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "'" || scalar == "’" || scalar == "-" || scalar == "." || scalar == "&" || scalar == ","
    }

    // MARK: - Sentences

    private static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
        "maj", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "nos", "vs", "etc", "jan", "feb", "mar", "apr",
        "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "rev", "hon", "pres", "supt", "dept",
        "univ", "approx", "est", "fig", "vol", "pp", "ave", "blvd", "rd", "messrs", "mmes", "msgr", "cpl", "pvt",
        "gens", "reps", "sens", "govs", "atty", "bros", "ky", "ore", "calif", "ariz", "ark", "colo", "conn", "del",
        "fla", "ga", "ill", "ind", "kan", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev",
        "okla", "pa", "tenn", "va", "wash", "wis", "wyo", "alta", "ont", "que", "sask", "man", "u.s", "u.k", "u.n",
        "e.u", "a.m", "p.m", "i.e", "e.g", "d.c",
    ]

    private static let closingMarks: Set<String> = ["\"", "”", "’", "'", ")"]
    private static let openingMarks: Set<String> = ["\"", "“", "‘", "'", "("]

    private mutating func splitSentences() {
        var start = 0
        var index = 0
        func close(_ end: Int) {
            guard end > start else { return }
            let first = tokens[start]
            let last = tokens[end - 1]
            let number = sentences.count
            for position in start..<end { tokens[position].sentence = Int32(number) }
            sentences.append(Sentence(paragraph: first.paragraph, start: first.start, end: last.end, tokens: start..<end))
            start = end
        }
        while index < tokens.count {
            let token = tokens[index]
            if index > start, token.paragraph != tokens[index - 1].paragraph {
                close(index)
                continue
            }
            let marks = formInfo[Int(token.form)].marks
            if marks.contains(.sentenceEnd) {
                var end = index + 1
                while end < tokens.count, !tokens[end].spaceBefore, tokens[end].paragraph == token.paragraph,
                      formInfo[Int(tokens[end].form)].marks.contains(.closing) {
                    end += 1
                }
                let atParagraphEnd = end >= tokens.count || tokens[end].paragraph != token.paragraph
                if atParagraphEnd {
                    close(end)
                    index = end
                    continue
                }
                let next = tokens[end]
                let startsSentence = next.spaceBefore
                    && (next.isCapitalized || next.kind == .number || formInfo[Int(next.form)].marks.contains(.opening))
                if startsSentence && !(marks.contains(.period) && isAbbreviation(before: index)) {
                    close(end)
                    index = end
                    continue
                }
            }
            index += 1
        }
        close(tokens.count)
    }

    /// Whether the word at `index` may be an abbreviation (`Corp`, `St`, `Calif`) or an initial (`A`):
    /// capitalized, and one letter or a listed abbreviation. With a period right after it, the two are one
    /// token for the entity model, as CoNLL writes them (`Corp.`, `A.`).
    func mayBeAbbreviation(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .word, token.isCapitalized else { return false }
        return isInitial(index) || Self.abbreviations.contains(lower(index))
    }

    /// Whether the word at `index` is cut with a period right after it, for the entity model as in CoNLL:
    /// it has one inside (`U.S`) or may be an abbreviation or an initial.
    func takesPeriod(_ index: Int) -> Bool { hasInnerPeriod(index) || mayBeAbbreviation(index) }

    /// Whether the word at `index` is one capital letter: an initial when a period follows it.
    func isInitial(_ index: Int) -> Bool {
        let token = tokens[index]
        return token.kind == .word && token.isCapitalized && (token.end - token.start == 1 || form(index).count == 1)
    }

    private func isAbbreviation(before index: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = tokens[index - 1]
        guard previous.kind == .word, !tokens[index].spaceBefore else { return false }
        return isInitial(index - 1) || Self.abbreviations.contains(lower(index - 1))
    }
}
