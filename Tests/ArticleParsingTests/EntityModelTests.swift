import ArticleParsing
import EntityTraining
import Foundation
import NewsModel
import Testing

/// The learned entity model: names it has never seen, its file's contract, and deterministic training.
@Suite("Entity model")
struct EntityModelTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var persons: Set<String>
        var organizations: Set<String>
        var locations: Set<String>
        var testDescription: String { text }
    }

    /// Classes of names no word list holds (issue 16's table): the model must find them from context.
    static let unseen: [Case] = [
        Case(text: "Maria Santos and Peter Okafor signed the agreement on Tuesday.",
             persons: ["Maria Santos", "Peter Okafor"], organizations: [], locations: []),
        Case(text: "Tomas Lindqvist of Sweden won the sprint.",
             persons: ["Tomas Lindqvist"], organizations: [], locations: ["Sweden"]),
        Case(text: "Midfielders - Dariusz Wojcik, Mihai Popescu, Levente Szabo.",
             persons: ["Dariusz Wojcik", "Mihai Popescu", "Levente Szabo"], organizations: [], locations: []),
        Case(text: "Feyenoord 2 (Kuijt 30, Van Hooijdonk 75) Ajax 1 (Litmanen 12).",
             persons: ["Kuijt", "Van Hooijdonk", "Litmanen"], organizations: ["Feyenoord", "Ajax"], locations: []),
        Case(text: "The talks between Hamas and Fatah resumed in Cairo.",
             persons: [], organizations: ["Hamas", "Fatah"], locations: ["Cairo"]),
    ]

    @Test("names never seen in training are found, with their types", arguments: unseen)
    func unseenNames(_ example: Case) throws {
        let model = try NERModel.load(path: ParserTestSupport.modelPath)
        let raw = RawArticle(
            id: "t", seq: 1, source: SourceRef(kind: "test", uri: "-"), fetchedAt: "2026-12-06T00:00:00.000Z",
            name: "story.txt", body: Array("Story\n\n\(example.text)\n".utf8))
        let article = try ArticleParser(limits: ParserTestSupport.untimed, entityModel: model).parse(raw, worker: "test").get()
        let entities = try #require(article.entities)
        #expect(Set(entities.persons.map(\.name)) == example.persons)
        #expect(Set(entities.organizations.map(\.name)) == example.organizations)
        #expect(Set(entities.locations.map(\.name)) == example.locations)
        #expect(article.parser.nerModel == ModelInfo(name: model.name, hash: model.hash))
    }

    @Test("a file that is not a model, is cut short or was altered is refused with the reason")
    func refusesBadFiles() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: ParserTestSupport.modelPath)))
        let model = try NERModel(bytes: bytes)
        #expect(model.name == "en-conll2003")
        #expect(model.hash.count == 16)
        func reason(_ bytes: [UInt8]) -> String? {
            do {
                _ = try NERModel(bytes: bytes)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(Array("{\"name\": \"a JSON file\"}".utf8))?.contains("not a newsflow entity model") == true)
        #expect(reason(Array(bytes.prefix(bytes.count / 2)))?.contains("truncated") == true)
        var altered = bytes
        altered[bytes.count / 3] ^= 0x40
        #expect(reason(altered)?.contains("damaged") == true)
        #expect(reason([]) != nil)
        // Tagging sums the weights in the file's units: a scale that is not positive would invert them.
        var negative = bytes
        func u32(_ offset: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        let nameEnd = 16 + u32(12)
        let scaleOffset = nameEnd + 4 + u32(nameEnd) + 8
        negative[scaleOffset + 3] |= 0x80
        let checksum = CRC32.checksum(negative[..<(negative.count - 4)])
        for index in 0..<4 { negative[negative.count - 4 + index] = UInt8(truncatingIfNeeded: checksum >> (8 * UInt32(index))) }
        #expect(reason(negative)?.contains("scale") == true)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-model-\(getpid()).nfner").path
        #expect(throws: NERModelError.self) { try NERModel.load(path: missing) }
    }

    /// The offset of the form rows' section in a version 2 file: after the header, the weights, the
    /// vocabulary and the word classes.
    static func rowSectionOffset(_ bytes: [UInt8]) -> Int {
        func u32(_ offset: Int) -> Int { (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) } }
        func u16(_ offset: Int) -> Int { Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 }
        var offset = 12
        offset += 4 + u32(offset)  // name
        offset += 4 + u32(offset)  // meta
        let features = u32(offset + 4)
        offset += 12 + features * (8 + 2 * 17)
        let forms = u32(offset)
        offset += 4
        for _ in 0..<forms { offset += 2 + u16(offset) }
        let words = u32(offset)
        offset += 4
        for _ in 0..<words { offset += 2 + u16(offset) + 4 }
        return offset
    }

    /// `bytes` with a new checksum.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = Array(bytes.dropLast(4))
        withUnsafeBytes(of: CRC32.checksum(bytes).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes
    }

    @Test("a version 1 file (form rows summed at load) tags as its version 2 file (form rows stored) does")
    func formRowsStoredOrSummed() throws {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: ParserTestSupport.modelPath)))
        #expect(bytes[8] == 2)
        let rows = Self.rowSectionOffset(bytes)
        var first = Array(bytes[..<rows])
        first[8] = 1
        let stored = try NERModel(bytes: bytes)
        let summed = try NERModel(bytes: Self.resealed(first + [0, 0, 0, 0]))
        let text = """
            Ryanair chief Michael O'Leary told Reuters in Dublin on Tuesday that Boeing and the European \
            Commission had met.

            MILAN BEAT JUVENTUS IN TURIN. Tomas Lindqvist of Sweden won the sprint.
            """
        let raw = RawArticle(id: "0", seq: 1, source: SourceRef(kind: "test", uri: "-"),
                             fetchedAt: "2026-12-07T00:00:00.000Z", name: nil, body: Array(text.utf8))
        func entities(_ model: NERModel) -> Entities? {
            let parser = ArticleParser(limits: ParserTestSupport.untimed, entityModel: model)
            return parser.parse(raw, worker: "test").value?.entities
        }
        let found = try #require(entities(stored))
        #expect(found == entities(summed))
        #expect(found.persons.map(\.name).contains("Tomas Lindqvist"))

        func reason(_ bytes: [UInt8]) -> String? {
            do {
                try NERModel.validate(bytes: bytes)
                _ = try NERModel(bytes: bytes)
                return nil
            } catch {
                return error.reason
            }
        }
        // A version 2 file without its rows, with a count that does not match its vocabulary, with a shift
        // no 32-bit sum needs, or with bytes after the rows.
        var cut = Array(bytes[..<rows])
        #expect(reason(Self.resealed(cut + [0, 0, 0, 0]))?.contains("truncated (form rows)") == true)
        cut = bytes
        cut[rows + 4] &+= 1
        #expect(reason(Self.resealed(cut))?.contains("form rows for a vocabulary") == true)
        cut = bytes
        cut[rows] = 40
        #expect(reason(Self.resealed(cut))?.contains("shift of 40") == true)
        let longer = Self.resealed(bytes.dropLast(4) + [7, 0, 0, 0, 0])
        #expect(reason(longer)?.contains("1 unexpected bytes after its form rows") == true)
        #expect(reason(bytes) == nil)
    }

    /// A small CoNLL file made here: two documents, every type, a span of three tokens.
    static let conll = """
        -DOCSTART- -X- -X- O

        Anna NNP B-NP B-PER
        Berg NNP I-NP I-PER
        joined VBD B-VP O
        Acme NNP B-NP B-ORG
        Steel NNP I-NP I-ORG
        Works NNP I-NP I-ORG
        in IN B-PP O
        Oslo NNP B-NP B-LOC
        . . O O

        -DOCSTART- -X- -X- O

        Norwegian JJ B-NP B-MISC
        officials NNS I-NP O
        met VBD B-VP O
        Berg NNP B-NP B-PER
        in IN B-PP O
        Bergen NNP B-NP B-LOC
        . . O O

        """

    @Test("training is deterministic, and the model it writes tags its own training data",
          arguments: PerceptronTrainer.Update.allCases)
    func deterministicTraining(update: PerceptronTrainer.Update) throws {
        let documents = try CoNLLCorpus.parse(Self.conll, name: "inline")
        #expect(documents.count == 2)
        var options = PerceptronTrainer.Options()
        options.epochs = 5
        options.update = update
        func train() throws -> [UInt8] {
            var trainer = PerceptronTrainer(options: options)
            try trainer.train(documents) { _, _ in }
            return try trainer.model(meta: "{}")
        }
        let first = try train()
        #expect(try first == train())
        let model = try NERModel(bytes: first)
        let tagger = NERTagger(model: model)
        let scores = NEREvaluation(gold: documents, predicted: documents.map { tagger.labels($0.sequence) })
        #expect(scores.mentionF1 == 1)
    }

    @Test("a name does not run on into a number, a weekday or a lower-case word, whatever the weights say")
    func namesEndWhereTheNextTokenSays() throws {
        let tagger = NERTagger(model: try NERModel.load(path: ParserTestSupport.modelPath))
        let sentences = LearnedSpans.labelled(paragraphs: [
            "Kent 230 ( A. Dale 69 , M. McCague 4-55 ) beat Sussex.",
            "Ireland coach Mick McCarthy on Friday named Alan Moore in the Greater Milwaukee Open Thursday.",
            "The Bank of England and Kengo wa Dondo met staff of Windows 95 at the Duke of Norfolk 's XI.",
        ], tagger: tagger)
        let tokens = sentences.flatMap { $0 }
        // Inside a span (B or I), the next token must be able to go on with it.
        for (index, token) in tokens.enumerated().dropLast() where token.label.hasPrefix("B-") || token.label.hasPrefix("I-") {
            let next = tokens[index + 1].form
            #expect(!["69", "4-55", ",", ")", "named", "Friday", "Thursday"].contains(next), "\(token.form) \(token.label) before \(next)")
            if next == "on" { Issue.record("\(token.form) \(token.label) before `on Friday`") }
        }
        #expect(NERLabel.allowed(NERLabel.label(.misc, .inside), after: NERLabel.label(.misc, .begin), closing: .closedUnlessMisc))
        #expect(!NERLabel.allowed(NERLabel.label(.person, .inside), after: NERLabel.label(.person, .begin), closing: .closedUnlessMisc))
        #expect(!NERLabel.allowed(NERLabel.label(.person, .begin), after: NERLabel.outside, closing: .closed))
    }

    @Test("BILOU labels from IOB tags, and spans back")
    func labels() {
        let labels = NERLabel.fromIOB(["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG", "I-ORG", "I-ORG"])
        #expect(labels.map(NERLabel.name) == ["B-PER", "L-PER", "O", "U-LOC", "U-LOC", "B-ORG", "I-ORG", "L-ORG"])
        let spans = NERLabel.spans(labels)
        #expect(spans.map(\.range) == [0..<2, 3..<4, 4..<5, 5..<8])
        #expect(spans.map(\.type) == [.person, .location, .location, .organization])
        #expect(!NERLabel.allowed(NERLabel.label(.person, .inside), after: NERLabel.outside, last: false))
        #expect(!NERLabel.allowed(NERLabel.label(.person, .begin), after: NERLabel.start, last: true))
    }
}
