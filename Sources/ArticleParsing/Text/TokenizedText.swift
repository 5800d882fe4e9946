/// The body's paragraphs cut into tokens and sentences in one pass over their UTF-8 bytes. ASCII is
/// handled byte by byte; other characters are decoded and classified by their Unicode properties.
struct TokenizedText {
    let paragraphs: [String]
    private(set) var tokens: [Token] = []
    private(set) var sentences: [Sentence] = []
    /// Each distinct lowercased word once; tokens point into it, so later stages hash a word once per
    /// article instead of once per occurrence.
    private(set) var vocabulary: [String] = []
    private var vocabularyIndex: [String: Int32] = [:]

    init(paragraphs: [String]) {
        self.paragraphs = paragraphs
        tokens.reserveCapacity(paragraphs.reduce(0) { $0 + $1.utf8.count } / 5)
        for (index, paragraph) in paragraphs.enumerated() {
            tokenize(paragraph, index: index)
        }
        splitSentences()
    }

    /// The vocabulary id of a lowercased word, if the text has it.
    func vocabularyID(of lower: String) -> Int32? { vocabularyIndex[lower] }

    /// Word and number tokens only.
    var wordCount: Int { tokens.reduce(0) { $0 + ($1.kind == .punctuation ? 0 : 1) } }

    /// The text of a sentence.
    func text(of sentence: Sentence) -> String {
        slice(sentence.paragraph, sentence.start, sentence.end)
    }

    private func slice(_ paragraph: Int, _ start: Int, _ end: Int) -> String {
        let utf8 = paragraphs[paragraph].utf8
        let from = utf8.index(utf8.startIndex, offsetBy: start)
        let to = utf8.index(from, offsetBy: end - start)
        return String(decoding: utf8[from..<to], as: UTF8.self)
    }

    /// The text between two tokens (inclusive) of one paragraph, as written.
    func text(from first: Int, through last: Int) -> String {
        let a = tokens[first]
        let b = tokens[last]
        guard a.paragraph == b.paragraph, a.start <= b.end else { return a.text }
        return slice(a.paragraph, a.start, b.end)
    }

    // MARK: - Tokenizing

    private mutating func tokenize(_ paragraph: String, index: Int) {
        var bytes = Array(paragraph.utf8)
        bytes.append(0x20)
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
                var end = position + width
                var isNumber = Self.isDigit(scalar)
                while end < count {
                    let (next, nextWidth) = Self.decode(bytes, at: end)
                    if Self.isWordScalar(next) {
                        if isNumber && !Self.isDigit(next) { isNumber = false }
                        end += nextWidth
                        continue
                    }
                    // Inner joiners: apostrophes, hyphens, periods and commas between word characters
                    // (`don’t`, `Nagorno-Karabakh`, `U.S`, `1,500`, `2.5`).
                    if Self.isJoiner(next), end + nextWidth < count {
                        let (after, _) = Self.decode(bytes, at: end + nextWidth)
                        if Self.isWordScalar(after) && (next != "," || isNumber) {
                            end += nextWidth
                            continue
                        }
                    }
                    break
                }
                appendWord(bytes, position, end, paragraph: index, spaceBefore: spaceBefore, isNumber: isNumber)
                position = end
            } else {
                let text = String(decoding: bytes[position..<(position + width)], as: UTF8.self)
                tokens.append(Token(
                    text: text, lower: text, kind: .punctuation, isCapitalized: false, isAllCaps: false,
                    paragraph: index, start: position, end: position + width, spaceBefore: spaceBefore))
                position += width
            }
            spaceBefore = false
        }
    }

    private mutating func appendWord(
        _ bytes: [UInt8], _ start: Int, _ end: Int, paragraph: Int, spaceBefore: Bool, isNumber: Bool
    ) {
        let slice = bytes[start..<end]
        let text = String(decoding: slice, as: UTF8.self)
        var isASCII = true
        var upper = 0
        var lowerCount = 0
        for byte in slice {
            if byte >= 0x80 { isASCII = false; break }
            if byte >= 0x41 && byte <= 0x5A { upper += 1 } else if byte >= 0x61 && byte <= 0x7A { lowerCount += 1 }
        }
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
        let word: Int32
        if let known = vocabularyIndex[lower] {
            word = known
        } else {
            word = Int32(vocabulary.count)
            vocabulary.append(lower)
            vocabularyIndex[lower] = word
        }
        tokens.append(Token(
            text: text, lower: lower, kind: isNumber ? .number : .word, isCapitalized: capitalized, isAllCaps: allCaps,
            paragraph: paragraph, start: start, end: end, spaceBefore: spaceBefore, word: word))
    }

    @inline(__always)
    private static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) {
            return (scalar, UTF8.width(scalar))
        }
        return ("\u{FFFD}", 1)
    }

    @inline(__always)
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x30 && value <= 0x39) || (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        }
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
            for position in start..<end { tokens[position].sentence = number }
            sentences.append(Sentence(paragraph: first.paragraph, start: first.start, end: last.end, tokens: start..<end))
            start = end
        }
        while index < tokens.count {
            let token = tokens[index]
            if index > start, token.paragraph != tokens[index - 1].paragraph {
                close(index)
                continue
            }
            if token.kind == .punctuation, token.text == "." || token.text == "!" || token.text == "?" {
                var end = index + 1
                while end < tokens.count, tokens[end].kind == .punctuation, !tokens[end].spaceBefore,
                      tokens[end].paragraph == token.paragraph, Self.closingMarks.contains(tokens[end].text) {
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
                    && (next.isCapitalized || next.kind == .number || Self.openingMarks.contains(next.text))
                if startsSentence && !(token.text == "." && isAbbreviation(before: index)) {
                    close(end)
                    index = end
                    continue
                }
            }
            index += 1
        }
        close(tokens.count)
    }

    private func isAbbreviation(before index: Int) -> Bool {
        guard index > 0 else { return false }
        let previous = tokens[index - 1]
        guard previous.kind == .word, !tokens[index].spaceBefore else { return false }
        if previous.text.count == 1 && previous.isCapitalized { return true }
        return Self.abbreviations.contains(previous.lower)
    }
}
