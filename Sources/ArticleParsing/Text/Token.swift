/// One token of an article's body: a word, a number or a punctuation mark. Compact and free of
/// references (28 bytes): the token's written form and lowercased word are ids into its
/// ``TokenizedText``'s tables (`form(_:)`, `lower(_:)`), so copying tokens costs no reference counting
/// and a long article's tokens stay a fraction of its size.
struct Token {
    enum Kind: UInt8 {
        case word, number, punctuation
    }

    var kind: Kind
    private var flags: UInt8
    /// Paragraph index and UTF-8 byte range within that paragraph.
    private var paragraph32: Int32
    private var start32: Int32
    private var end32: Int32
    /// Index of the sentence the token belongs to.
    var sentence: Int32 = 0
    /// Index of the lowercased word in the text's vocabulary (words and numbers); -1 for punctuation.
    var word: Int32
    /// Index of the written form in the text's forms.
    var form: Int32

    init(kind: Kind, isCapitalized: Bool, isAllCaps: Bool, paragraph: Int, start: Int, end: Int,
         spaceBefore: Bool, word: Int32, form: Int32) {
        self.kind = kind
        self.flags = (isCapitalized ? 1 : 0) | (isAllCaps ? 2 : 0) | (spaceBefore ? 4 : 0)
        self.paragraph32 = Int32(truncatingIfNeeded: paragraph)
        self.start32 = Int32(truncatingIfNeeded: start)
        self.end32 = Int32(truncatingIfNeeded: end)
        self.word = word
        self.form = form
    }

    /// First letter is uppercase.
    var isCapitalized: Bool { flags & 1 != 0 }
    /// Every letter is uppercase and there are at least two.
    var isAllCaps: Bool { flags & 2 != 0 }
    /// Whether white space precedes the token.
    var spaceBefore: Bool { flags & 4 != 0 }
    var isWord: Bool { kind == .word }
    var paragraph: Int { Int(paragraph32) }
    var start: Int { Int(start32) }
    var end: Int { Int(end32) }
}

/// A sentence as a token range and its text's position.
struct Sentence {
    var paragraph: Int
    var start: Int
    var end: Int
    var tokens: Range<Int>
}
