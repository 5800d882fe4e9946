/// The recognizer's features, as 64-bit hashes of a template, an offset and a value. Training and tagging
/// both build them here, so a model always meets the features it was trained on.
///
/// Three kinds, by what they depend on (the split is what makes tagging fast):
/// - form features: the word, its lowercase, affixes, shape, case and the word lists, for the token and
///   the two either side; they depend only on a written form, so their weights are summed once per form;
/// - document features: how the same word is written elsewhere in the document (a headline in capitals
///   learns from the body's `Ajax`), whether it also appears in lower case, and phrases of the place
///   gazetteers; worked out once per form or token of a document;
/// - history features: the two labels before the token and the type earlier mentions of the same word
///   were given in the document; per token, read from small dense tables.
package enum NERFeatures {
    package enum Template: UInt8 {
        case bias = 1, word, lower, prefix, suffix, shape, shortShape, flag, fact
        case documentCase, seenLowercase, sentenceStart, capitalsSentence, placePhrase
        case previous, previousTwo, history, previousCase, bigram, wordClass, coarseClass
    }

    /// How a form is written: lower (`election`), capitalized (`Ajax`), capitals (`NATO`), no letters.
    package enum Case: Int { case lower = 0, capitalized, capitals, other }

    /// The offsets of the window of form features.
    package static let window = -2...2

    // MARK: - Hashing

    /// FNV-1a, 64 bits: stable across runs, processes and machines (Swift's own hashing is seeded).
    @inline(__always)
    static func mix(_ hash: inout UInt64, _ byte: UInt8) {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    static func start(_ template: Template, _ offset: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        mix(&hash, template.rawValue)
        mix(&hash, UInt8(truncatingIfNeeded: offset + 128))
        return hash
    }

    /// The feature of a template, an offset and a text value.
    package static func key(_ template: Template, _ offset: Int, _ value: some StringProtocol) -> UInt64 {
        var hash = start(template, offset)
        for byte in value.utf8 { mix(&hash, byte) }
        return hash == 0 ? 1 : hash
    }

    /// The feature of a template, an offset and a small number.
    package static func key(_ template: Template, _ offset: Int, _ value: Int) -> UInt64 {
        var hash = start(template, offset)
        var value = UInt32(truncatingIfNeeded: value)
        for _ in 0..<4 {
            mix(&hash, UInt8(truncatingIfNeeded: value))
            value >>= 8
        }
        return hash == 0 ? 1 : hash
    }

    // MARK: - Form features

    /// A form's case.
    package static func caseOf(_ form: String) -> Case {
        if let ascii = asciiCase(form) { return ascii }
        var upper = 0
        var lower = 0
        var first: Case?
        for scalar in form.unicodeScalars {
            let properties = scalar.properties
            if properties.isLowercase {
                lower += 1
                if first == nil { first = .lower }
            } else if properties.isUppercase {
                upper += 1
                if first == nil { first = .capitalized }
            }
        }
        guard let first else { return .other }
        if first == .lower { return .lower }
        return lower == 0 && upper >= 2 ? .capitals : .capitalized
    }

    /// The case of an all-ASCII form from its bytes (most forms); nil for any other.
    private static func asciiCase(_ form: String) -> Case? {
        var upper = 0
        var lower = 0
        var first: Case?
        for byte in form.utf8 {
            switch byte {
            case 0x80...: return nil
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                lower += 1
                if first == nil { first = .lower }
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                upper += 1
                if first == nil { first = .capitalized }
            default: break
            }
        }
        guard let first else { return .other }
        if first == .lower { return .lower }
        return lower == 0 && upper >= 2 ? .capitals : .capitalized
    }

    /// The lowercase of a form, with typographic apostrophes and quotation marks made straight (the
    /// training data has only straight ones).
    package static func lowercase(_ form: String) -> String {
        let lower = form.lowercased()
        guard !lower.utf8.allSatisfy({ $0 < 0x80 }) else { return lower }
        return String(String.UnicodeScalarView(lower.unicodeScalars.map { scalar -> Unicode.Scalar in
            switch scalar {
            case "\u{2018}", "\u{2019}": "'"
            case "\u{201C}", "\u{201D}", "\u{00AB}", "\u{00BB}": "\""
            default: scalar
            }
        }))
    }

    /// Word shape: `Xxxx`, `XX`, `dd-dd`, `X.X.`; runs longer than four cut to four, and the short shape
    /// with every run cut to one (`Xx`, `X`, `d-d`).
    package static func shapes(_ form: String) -> (shape: String, short: String) {
        var shape = ""
        var short = ""
        var last: Character = " "
        var run = 0
        for scalar in form.unicodeScalars {
            let mark: Character
            if scalar.isASCII {
                switch scalar.value {
                case 0x41...0x5A: mark = "X"
                case 0x61...0x7A: mark = "x"
                case 0x30...0x39: mark = "d"
                default: mark = Character(scalar)
                }
            } else if scalar.properties.isUppercase {
                mark = "X"
            } else if scalar.properties.isLowercase || scalar.properties.isAlphabetic {
                mark = "x"
            } else if scalar.properties.numericType != nil {
                mark = "d"
            } else {
                mark = Character(scalar)
            }
            if mark == last {
                run += 1
            } else {
                run = 1
                short.append(mark)
            }
            if run <= 4 { shape.append(mark) }
            last = mark
        }
        return (shape, short)
    }

    /// The form features of `form` (lowercase `lower`) seen at `offset` from the token being labelled.
    package static func formKeys(_ form: String, lower: String, offset: Int, classes: NERWordClasses,
                                 into keys: inout [UInt64]) {
        let shapes = shapes(form)
        keys.append(key(.lower, offset, lower))
        keys.append(key(.shortShape, offset, shapes.short))
        if !classes.isEmpty, offset >= -1, offset <= 1 {
            if let found = classes.classes(of: lower) {
                keys.append(key(.wordClass, offset, Int(found.fine)))
                keys.append(key(.coarseClass, offset, Int(found.coarse)))
            } else {
                keys.append(key(.wordClass, offset, -1))
            }
        }
        let facts = WordFacts.of(word: lower)
        if offset == 0 || offset == -1 || offset == 1 {
            for bit in factBits where facts.contains(bit.fact) { keys.append(key(.fact, offset, bit.number)) }
        }
        guard offset == 0 else { return }
        keys.append(key(.bias, 0, 0))
        keys.append(key(.word, 0, form))
        keys.append(key(.shape, 0, shapes.shape))
        let characters = Array(lower)
        for length in 1...4 where characters.count > length {
            keys.append(key(.prefix, length, String(characters[..<length])))
            keys.append(key(.suffix, length, String(characters[(characters.count - length)...])))
        }
        let written = caseOf(form)
        keys.append(key(.flag, 0, written.rawValue))
        keys.append(key(.flag, 1, min(characters.count, 8)))
        var hyphen = false, period = false, digit = false, apostrophe = false, ampersand = false
        for byte in form.utf8 {
            switch byte {
            case UInt8(ascii: "-"): hyphen = true
            case UInt8(ascii: "."): period = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
            case UInt8(ascii: "'"): apostrophe = true
            case UInt8(ascii: "&"): ampersand = true
            default: break
            }
        }
        if hyphen { keys.append(key(.flag, 2, written.rawValue)) }
        if period { keys.append(key(.flag, 3, written.rawValue)) }
        if digit { keys.append(key(.flag, 4, 0)) }
        if apostrophe { keys.append(key(.flag, 5, 0)) }
        if ampersand { keys.append(key(.flag, 6, 0)) }
    }

    /// The word-list facts that are features, each with a number of its own.
    static let factBits: [(fact: WordFacts, number: Int)] = [
        (.connector, 0), (.organizationWord, 1), (.commonCapitalized, 2), (.roleWord, 3), (.honorific, 4),
        (.placeNoun, 5), (.speechVerb, 6), (.placePreposition, 7), (.roleNoun, 8), (.personPronoun, 9),
        (.firstName, 10), (.keywordStopword, 11), (.countryName, 12), (.demonym, 13), (.region, 14),
        (.city, 15), (.placeStart, 16), (.calendar, 18),
    ]

    /// The feature standing for a neighbour beyond the sentence's edge.
    package static func paddingKey(offset: Int) -> UInt64 {
        key(.lower, offset, offset < 0 ? "<s>" : "</s>")
    }

    // MARK: - Document features

    /// The document features of a form: how the same word is written where its case tells something.
    package static func documentKeys(_ document: NERDocument, form: Int, into keys: inout [UInt64]) {
        let written = document.cases[form]
        let usual = document.usualCase(form: form)
        keys.append(key(.documentCase, 0, usual * 8 + written.rawValue))
        if written != .lower, written != .other, document.seenLowercase(form: form) {
            keys.append(key(.seenLowercase, 0, written.rawValue))
        }
    }

    /// The features of token `index` that depend on its place: first of its sentence, in a sentence of
    /// capitals (a headline), inside a place name of several words.
    package static func positionKeys(_ document: NERDocument, token index: Int, sentence: Range<Int>,
                                     into keys: inout [UInt64]) {
        let form = Int(document.sequence.tokens[index])
        if index == sentence.lowerBound { keys.append(key(.sentenceStart, 0, document.cases[form].rawValue)) }
        if document.capitalsSentence[document.sentenceOf(index)] {
            keys.append(key(.capitalsSentence, 0, document.usualCase(form: form)))
        }
        let phrase = document.placePhrases[index]
        if phrase != 0 { keys.append(key(.placePhrase, 0, Int(phrase))) }
    }

    /// The feature of two words side by side, from their lowercase hashes.
    @inline(__always)
    static func pair(_ first: UInt64, _ second: UInt64, offset: Int) -> UInt64 {
        var hash = start(.bigram, offset)
        for value in [first, second] {
            var value = value
            for _ in 0..<8 {
                mix(&hash, UInt8(truncatingIfNeeded: value))
                value >>= 8
            }
        }
        return hash == 0 ? 1 : hash
    }

    /// The history features: the labels of the two tokens before, and the type earlier mentions of the
    /// same word were given (0 none, 1 + type).
    package static func historyKeys(previous: Int, beforePrevious: Int, history: Int, written: Case) -> [UInt64] {
        [key(.previous, 0, previous), key(.previousTwo, 0, beforePrevious * 32 + previous), key(.history, 0, history),
         key(.previousCase, 0, previous * 8 + written.rawValue)]
    }

    /// Every feature of token `index` but the history ones: the forms in the window, the document's, the
    /// position's. Training uses this list; tagging sums the same weights through its per-form caches.
    package static func staticKeys(_ document: NERDocument, token index: Int, sentence: Range<Int>) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(48)
        let tokens = document.sequence.tokens
        for offset in window {
            let position = index + offset
            if sentence.contains(position) {
                let form = Int(tokens[position])
                formKeys(document.sequence.forms[form], lower: document.lowers[form], offset: offset,
                         classes: document.classes, into: &keys)
            } else {
                keys.append(paddingKey(offset: offset))
            }
        }
        documentKeys(document, form: Int(tokens[index]), into: &keys)
        positionKeys(document, token: index, sentence: sentence, into: &keys)
        return keys
    }
}
