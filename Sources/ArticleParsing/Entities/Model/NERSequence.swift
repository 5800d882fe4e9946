/// What the learned recognizer reads: a document's tokens as written, cut into sentences. Distinct forms
/// are stored once, so features that depend only on a form are worked out once per document.
package struct NERSequence: Sendable {
    /// Each distinct written form once.
    package private(set) var forms: [String] = []
    /// The form of each token.
    package private(set) var tokens: [Int32] = []
    /// Token ranges, in order, covering every token.
    package private(set) var sentences: [Range<Int>] = []
    /// Per form: its lowercase (typographic quotes straight), an id shared by the forms of one
    /// lowercase word, and what the word lists say of it.
    package private(set) var lowers: [String] = []
    package private(set) var lowerIDs: [Int32] = []
    package private(set) var facts: [WordFacts] = []
    /// Per form: the hash the model's vocabulary of forms is keyed by (``ByteTable/hash(_:)`` of its bytes).
    private(set) var hashes: [UInt32] = []
    /// Per form: how it is written (``NERFeatures/caseOf(_:)``).
    package private(set) var cases: [NERFeatures.Case] = []
    /// How many lowercase ids there are (ids given by a caller may leave gaps).
    package private(set) var lowerCount = 0
    private var formIDs: [String: Int32] = [:]
    private var ownLowerIDs: [String: Int32] = [:]

    package init() {}

    /// The id of `form`, added if new; its lowercase, id and facts worked out here.
    package mutating func formID(_ form: String) -> Int32 {
        if let id = formIDs[form] { return id }
        let lower = NERFeatures.lowercase(form)
        let lowerID: Int32
        if let known = ownLowerIDs[lower] {
            lowerID = known
        } else {
            lowerID = Int32(lowerCount)
            ownLowerIDs[lower] = lowerID
        }
        return add(form, lower: lower, lowerID: lowerID, facts: WordFacts.of(word: lower))
    }

    /// The id of a new `form` whose lowercase, lowercase id and facts the caller knows already (a
    /// tokenized text has looked them up): the caller keeps ids consistent. `indexed`: ``id(of:)`` finds
    /// it (a form added twice unindexed is two forms with the same features and lowercase id: harmless).
    package mutating func add(_ form: String, lower: String, lowerID: Int32, facts: WordFacts, indexed: Bool = true) -> Int32 {
        var bytes = form
        return add(form, lower: lower, lowerID: lowerID, facts: facts, hash: bytes.withUTF8 { ByteTable.hash($0) },
                   written: NERFeatures.caseOf(form), indexed: indexed)
    }

    /// `written`: the form's ``NERFeatures/caseOf(_:)``, which the caller knows.
    mutating func add(_ form: String, lower: String, lowerID: Int32, facts: WordFacts, hash: UInt32, written: NERFeatures.Case,
                      indexed: Bool) -> Int32 {
        let id = Int32(forms.count)
        forms.append(form)
        hashes.append(hash)
        cases.append(written)
        if indexed { formIDs[form] = id }
        lowers.append(lower)
        lowerIDs.append(lowerID)
        self.facts.append(facts)
        lowerCount = max(lowerCount, Int(lowerID) + 1)
        return id
    }

    /// Reserves room for `forms` distinct forms and `tokens` tokens.
    package mutating func reserve(forms: Int, tokens: Int) {
        self.forms.reserveCapacity(forms)
        lowers.reserveCapacity(forms)
        lowerIDs.reserveCapacity(forms)
        facts.reserveCapacity(forms)
        hashes.reserveCapacity(forms)
        cases.reserveCapacity(forms)
        self.tokens.reserveCapacity(tokens)
    }

    /// The id of `form`, if the sequence has it.
    package func id(of form: String) -> Int32? { formIDs[form] }

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
