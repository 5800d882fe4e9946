import ArgumentParser
import ArticleParsing
import EntityTraining
import Foundation
import NewsModel

/// `newsflow ner train|eval`: the learned entity model, trained and scored on CoNLL-format files.
struct NERCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner", abstract: "Train and score the entity model on CoNLL-format files.",
        subcommands: [NERTrain.self, NEREval.self, NERTag.self])
}

/// `newsflow ner train FILE... --out MODEL`.
struct NERTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train an entity model (averaged linear model, greedy BILOU) on CoNLL-format files.",
        discussion: "Deterministic: the same files and options give a byte-identical model.")

    @Argument(help: "Training files: one token a line, the IOB tag last, -DOCSTART- between documents.")
    var files: [String]

    @Option(name: .long, help: "Where to write the model.")
    var out: String

    @Option(name: .long, help: "A held-out file scored after every epoch and recorded in the model's meta.")
    var valid: String?

    @Option(name: .long, help: "Passes over the training data.")
    var epochs = PerceptronTrainer.Options().epochs

    @Option(name: .long, help: "Seed of the document shuffle.")
    var seed = PerceptronTrainer.Options().seed

    @Option(name: .long, help: "Features seen on fewer training tokens are left out.")
    var minCount = PerceptronTrainer.Options().minimumCount

    @Option(name: .long, help: "The model's name, written into every record it tags.")
    var name = PerceptronTrainer.Options().name

    @Option(name: .long, parsing: .upToNextOption,
            help: "Unlabeled news (files or folders: .txt, Reuters .sgm, .json) to learn word classes from; the CoNLL files' own words always count.")
    var unlabeled: [String] = []

    @Option(name: .long, help: "Per mille of training tokens whose own word is hidden in an epoch.")
    var wordDropout = PerceptronTrainer.Options().wordDropout

    @Option(name: .long, help: "How the weights move on a token.")
    var update = PerceptronTrainer.Options().update

    @Option(name: .long, help: "Fine word classes to learn (0: none).")
    var wordClasses = WordClassBuilder.Options().fineClasses

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var documents: [CoNLLDocument] = []
        var sources: [String] = []
        for file in files {
            let read = try CoNLLCorpus.read(file)
            documents += read
            let crc = String(format: "%08x", CRC32.checksum(Array(FileManager.default.contents(atPath: file) ?? Data())))
            let tokens = read.reduce(0) { $0 + $1.sequence.tokens.count }
            sources.append(#"{"file":"\#(jsonEscaped(URL(fileURLWithPath: file).lastPathComponent))","documents":\#(read.count),"tokens":\#(tokens),"crc32":"\#(crc)"}"#)
        }
        let held = try valid.map { try CoNLLCorpus.read($0) }
        var classOptions = WordClassBuilder.Options()
        classOptions.fineClasses = wordClasses
        var builder = WordClassBuilder(options: classOptions)
        for document in documents {
            for sentence in document.sequence.sentences { builder.add(sentence: sentence.map { document.sequence.form($0) }) }
        }
        for path in unlabeled.sorted() { try builder.add(path: path) }
        let classes = wordClasses > 0 ? builder.build() : NERWordClasses()
        if !classes.isEmpty {
            let unlabeledNames = unlabeled.map { URL(fileURLWithPath: $0).lastPathComponent }
            sources.append(#"{"unlabeled":[\#(unlabeledNames.map { "\"\(jsonEscaped($0))\"" }.joined(separator: ","))],"tokens":\#(builder.tokenCount),"words":\#(classes.count),"classes":\#(wordClasses)}"#)
            print("word classes: \(classes.count) words in \(wordClasses) classes, from \(builder.tokenCount) tokens")
        }
        var options = PerceptronTrainer.Options()
        options.epochs = epochs
        options.seed = seed
        options.minimumCount = minCount
        options.name = name
        options.wordDropout = wordDropout
        options.update = update
        options.frequentForms = builder.frequentForms(minimum: 3)
        var trainer = PerceptronTrainer(options: options, classes: classes)
        try trainer.train(documents) { epoch, bytes in
            guard let held, let model = try? NERModel(bytes: bytes) else {
                print("epoch \(epoch) done")
                return
            }
            let score = evaluate(model, held)
            print(String(format: "epoch %d: valid mention F1 %.4f, document F1 %.4f", epoch, score.mentionF1, score.documentF1))
        }
        var meta = #"{"name":"\#(jsonEscaped(name))","model":"averaged linear model (\#(update.rawValue) updates), greedy BILOU","trained_on":[\#(sources.joined(separator: ","))],"#
            + #""options":{"epochs":\#(epochs),"seed":\#(seed),"min_count":\#(minCount),"word_dropout":\#(wordDropout),"update":"\#(update.rawValue)"}"#
        let provisional = try NERModel(bytes: trainer.model(meta: meta + "}"))
        var score: NEREvaluation?
        if let held, let valid {
            let result = evaluate(provisional, held)
            score = result
            meta += String(format: #","scores":{"file":"%@","mention_f1":%.4f,"document_f1":%.4f}"#,
                           jsonEscaped(URL(fileURLWithPath: valid).lastPathComponent), result.mentionF1, result.documentF1)
        }
        let bytes = try trainer.model(meta: meta + "}")
        try Data(bytes).write(to: URL(fileURLWithPath: out))
        let model = try NERModel(bytes: bytes)
        let elapsed = clock.now - started
        print(String(format: "trained on %d documents, %d tokens in %.1f s: %@ (%d features, %.1f MB, hash %@)",
                     documents.count, trainer.tokenCount, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                     out, model.featureCount, Double(bytes.count) / 1_000_000, model.hash))
        if let score {
            print(String(format: "valid: mention F1 %.4f (all four types), document F1 %.4f (PER, ORG, LOC)", score.mentionF1, score.documentF1))
        }
    }
}

/// `newsflow ner eval FILE [--model MODEL]`.
struct NEREval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score an entity model on a CoNLL-format file: mention level (as conlleval) and document level.")

    @Argument(help: "A CoNLL-format file with gold tags.")
    var file: String

    @Option(name: .long, help: "The model file (default: the shipped model).")
    var model: String?

    @Flag(name: .long, help: "One JSON object on stdout instead of a table.")
    var json = false

    @Flag(name: .long, help: "Also list the document-level errors: per document, the names missed and those found wrongly.")
    var errors = false

    func run() throws {
        let loaded = try NERModel.load(setting: model)
        let documents = try CoNLLCorpus.read(file)
        // Tagging alone is timed (three passes, the fastest), as spaCy's NER is timed beside it.
        let tagger = NERTagger(model: loaded)
        let clock = ContinuousClock()
        var predicted: [[Int]] = []
        var elapsed = Duration.seconds(1_000_000)
        for _ in 0..<3 {
            let started = clock.now
            predicted = documents.map { tagger.labels($0.sequence) }
            elapsed = min(elapsed, clock.now - started)
        }
        let score = NEREvaluation(gold: documents, predicted: predicted)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let tokens = documents.reduce(0) { $0 + $1.sequence.tokens.count }
        if json {
            func counts(_ table: [NERType: NERCounts]) -> String {
                var fields: [String] = []
                for type in NERType.allCases {
                    guard let count = table[type] else { continue }
                    fields.append(String(format: #""%@":{"precision":%.4f,"recall":%.4f,"f1":%.4f,"gold":%d,"found":%d}"#,
                                         type.tag, count.precision, count.recall, count.f1,
                                         count.truePositives + count.falseNegatives, count.truePositives + count.falsePositives))
                }
                let total = NEREvaluation.total(table)
                fields.append(String(format: #""all":{"precision":%.4f,"recall":%.4f,"f1":%.4f}"#, total.precision, total.recall, total.f1))
                return "{" + fields.joined(separator: ",") + "}"
            }
            print(#"{"model":{"name":"\#(jsonEscaped(loaded.name))","hash":"\#(loaded.hash)"},"file":"\#(jsonEscaped(file))","documents":\#(documents.count),"tokens":\#(tokens),"seconds":\#(String(format: "%.3f", seconds)),"mention":\#(counts(score.mentions)),"document":\#(counts(score.documents))}"#)
            return
        }
        print("model \(loaded.name) (\(loaded.hash)) on \(file): \(documents.count) documents, \(tokens) tokens, "
              + String(format: "tagged at %.0f tokens/s", Double(tokens) / max(seconds, 1e-9)))
        func table(_ title: String, _ counts: [NERType: NERCounts]) {
            print(title)
            print("  type   precision  recall      F1   gold  found")
            for type in NERType.allCases {
                guard let count = counts[type] else { continue }
                print(String(format: "  %-5@  %9.4f  %6.4f  %6.4f  %5d  %5d", type.tag, count.precision, count.recall, count.f1,
                             count.truePositives + count.falseNegatives, count.truePositives + count.falsePositives))
            }
            let total = NEREvaluation.total(counts)
            print(String(format: "  %-5@  %9.4f  %6.4f  %6.4f", "all", total.precision, total.recall, total.f1))
        }
        table("mention level (exact span and type, as conlleval counts):", score.mentions)
        table("document level (sets of type and name per document):", score.documents)
        if errors {
            print("document-level errors (document number from 1, type, name):")
            for error in score.errors {
                print("  \(error.document + 1)  \(error.missed ? "missed  " : "spurious") \(error.type.tag)  \(error.name)")
            }
        }
    }
}

/// `newsflow ner tag FILE|-`: the model's labels on plain text, one token a line, as CoNLL writes them.
struct NERTag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Show the model's BILOU label for every token of a plain-text file (paragraphs split by blank lines).")

    @Argument(help: "A text file, or - for standard input.")
    var file: String

    @Option(name: .long, help: "The model file (default: the shipped model).")
    var model: String?

    func run() throws {
        let loaded = try NERModel.load(setting: model)
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let text = String(decoding: data, as: UTF8.self)
        let paragraphs = text.components(separatedBy: "\n\n").map { $0.replacingOccurrences(of: "\n", with: " ") }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for sentence in LearnedSpans.labelled(paragraphs: paragraphs, tagger: NERTagger(model: loaded)) {
            for token in sentence { print("\(token.form) \(token.label)") }
            print("")
        }
    }
}

/// Tags every document and scores the result.
func evaluate(_ model: NERModel, _ documents: [CoNLLDocument]) -> NEREvaluation {
    let tagger = NERTagger(model: model)
    let predicted = documents.map { tagger.labels($0.sequence) }
    return NEREvaluation(gold: documents, predicted: predicted)
}

/// A string's JSON escaping (quotes, backslashes, control characters).
func jsonEscaped(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result
}

extension PerceptronTrainer.Update: ExpressibleByArgument {}
