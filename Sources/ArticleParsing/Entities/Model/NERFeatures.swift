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
        // `bigram` (word pairs) was tried and left out; it keeps its number so later templates keep theirs.
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
        return letterCase(first: first, upper: upper, lower: lower)
    }

    /// A form's case from its first letter's case (nil: no letter), and how many of its letters are upper
    /// and lower case: lower (`election`), capitalized (`Ajax`, `McCain`), capitals (`NATO`), no letters.
    @inline(__always)
    static func letterCase(first: Case?, upper: Int, lower: Int) -> Case {
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
        return letterCase(first: first, upper: upper, lower: lower)
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

    /// The features of a form's word shape (`Xxxx`, `XX`, `dd-dd`, `X.X.`: runs longer than four cut to
    /// four) and short shape (every run cut to one: `Xx`, `X`, `d-d`), hashed in one pass over its scalars
    /// without building either string.
    static func shapeKeys(_ form: String, offset: Int, full: Bool) -> (shape: UInt64, short: UInt64) {
        var shape = start(.shape, offset)
        var short = start(.shortShape, offset)
        var last: UInt32 = 0xFFFF_FFFF
        var run = 0
        for scalar in form.unicodeScalars {
            var mark = scalar.value
            if scalar.isASCII {
                switch mark {
                case 0x41...0x5A: mark = 0x58  // X
                case 0x61...0x7A: mark = 0x78  // x
                case 0x30...0x39: mark = 0x64  // d
                default: break
                }
            } else if scalar.properties.isUppercase {
                mark = 0x58
            } else if scalar.properties.isLowercase || scalar.properties.isAlphabetic {
                mark = 0x78
            } else if scalar.properties.numericType != nil {
                mark = 0x64
            }
            if mark == last {
                run += 1
            } else {
                run = 1
                mixScalar(&short, mark)
            }
            if full, run <= 4 { mixScalar(&shape, mark) }
            last = mark
        }
        return (shape == 0 ? 1 : shape, short == 0 ? 1 : short)
    }

    /// Mixes a scalar's UTF-8 bytes.
    @inline(__always)
    static func mixScalar(_ hash: inout UInt64, _ value: UInt32) {
        if value < 0x80 {
            mix(&hash, UInt8(value))
            return
        }
        guard let scalar = Unicode.Scalar(value) else { return }
        for byte in String(Character(scalar)).utf8 { mix(&hash, byte) }
    }

    /// The form features of `form` (lowercase `lower`, word-list `facts`, word classes `found`, `known`
    /// when the model has word classes at all) seen at `offset` from the token being labelled.
    package static func formKeys(_ form: String, lower: String, facts: WordFacts, offset: Int,
                                 classes found: NERWordClasses.Classes?, known: Bool, into keys: inout [UInt64]) {
        let shapes = shapeKeys(form, offset: offset, full: offset == 0)
        keys.append(key(.lower, offset, lower))
        keys.append(shapes.short)
        if known, offset >= -1, offset <= 1 {
            if let found {
                keys.append(key(.wordClass, offset, Int(found.fine)))
                keys.append(key(.coarseClass, offset, Int(found.coarse)))
            } else {
                keys.append(key(.wordClass, offset, -1))
            }
        }
        if offset == 0 || offset == -1 || offset == 1, !facts.isEmpty {
            for bit in factBits where facts.contains(bit.fact) { keys.append(key(.fact, offset, bit.number)) }
        }
        guard offset == 0 else { return }
        keys.append(key(.bias, 0, 0))
        keys.append(key(.word, 0, form))
        keys.append(shapes.shape)
        var length = 0
        if lower.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: characters are bytes; affixes hashed from them directly.
            let bytes = lower.utf8
            length = bytes.count
            for size in 1...4 where length > size {
                var prefix = start(.prefix, size)
                var suffix = start(.suffix, size)
                for byte in bytes.prefix(size) { mix(&prefix, byte) }
                for byte in bytes.suffix(size) { mix(&suffix, byte) }
                keys.append(prefix == 0 ? 1 : prefix)
                keys.append(suffix == 0 ? 1 : suffix)
            }
        } else {
            let characters = Array(lower)
            length = characters.count
            for size in 1...4 where length > size {
                keys.append(key(.prefix, size, String(characters[..<size])))
                keys.append(key(.suffix, size, String(characters[(length - size)...])))
            }
        }
        let written = caseOf(form)
        keys.append(key(.flag, 0, written.rawValue))
        keys.append(key(.flag, 1, min(length, 8)))
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

    // The history features (the two previous labels, the previous label and the token's case, and the
    // type earlier mentions of the same word were given: 0 none, 1 + type) are keys of the templates
    // `previous`, `previousTwo`, `previousCase` and `history`; training looks them up by key, tagging
    // reads the dense tables ``NERModel`` builds from the same keys.

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
                formKeys(document.sequence.forms[form], lower: document.lowers[form], facts: document.sequence.facts[form], offset: offset,
                         classes: document.classes.classes(of: document.lowers[form]), known: !document.classes.isEmpty, into: &keys)
            } else {
                keys.append(paddingKey(offset: offset))
            }
        }
        documentKeys(document, form: Int(tokens[index]), into: &keys)
        positionKeys(document, token: index, sentence: sentence, into: &keys)
        return keys
    }
}
