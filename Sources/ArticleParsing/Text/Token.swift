/// One token of an article's body: a word, a number or a punctuation mark, with what later stages ask of
/// it computed once.
struct Token {
    enum Kind: UInt8 {
        case word, number, punctuation
    }

    /// The token as written.
    var text: String
    /// Lowercased (ASCII fast path), with `’` folded to `'`.
    var lower: String
    var kind: Kind
    /// First letter is uppercase.
    var isCapitalized: Bool
    /// Every letter is uppercase and there are at least two.
    var isAllCaps: Bool
    /// Paragraph index and UTF-8 byte range within that paragraph.
    var paragraph: Int
    var start: Int
    var end: Int
    /// Whether white space precedes the token.
    var spaceBefore: Bool
    /// Index of the sentence the token belongs to.
    var sentence: Int = 0
    /// Index of `lower` in the text's vocabulary (words and numbers); -1 for punctuation.
    var word: Int32 = -1

    var isWord: Bool { kind == .word }
}

/// A sentence as a token range and its text's position.
struct Sentence {
    var paragraph: Int
    var start: Int
    var end: Int
    var tokens: Range<Int>
}
