/// What the learned recognizer reads: a document's tokens as written, cut into sentences. Distinct forms
/// are stored once, so features that depend only on a form are worked out once per document.
package struct NERSequence: Sendable {
    /// Each distinct written form once.
    package private(set) var forms: [String] = []
    /// The form of each token.
    package private(set) var tokens: [Int32] = []
    /// Token ranges, in order, covering every token.
    package private(set) var sentences: [Range<Int>] = []
    private var formIDs: [String: Int32] = [:]

    package init() {}

    /// The id of `form`, added if new.
    package mutating func formID(_ form: String) -> Int32 {
        if let id = formIDs[form] { return id }
        let id = Int32(forms.count)
        forms.append(form)
        formIDs[form] = id
        return id
    }

    /// Appends one token of the current sentence.
    package mutating func append(form id: Int32) {
        tokens.append(id)
    }

    /// Ends the current sentence (nothing happens for an empty one).
    package mutating func endSentence() {
        let start = sentences.last?.upperBound ?? 0
        if tokens.count > start { sentences.append(start..<tokens.count) }
    }

    /// Appends a whole sentence of written words.
    package mutating func append<Words: Sequence>(sentence words: Words) where Words.Element: StringProtocol {
        for word in words { append(form: formID(String(word))) }
        endSentence()
    }

    /// The written form of token `index`.
    package func form(_ index: Int) -> String { forms[Int(tokens[index])] }
}
