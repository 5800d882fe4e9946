import ArticleParsing
import Foundation

/// One document of a CoNLL-format file: its tokens and their gold labels (BILOU).
package struct CoNLLDocument: Sendable {
    package var sequence: NERSequence
    package var labels: [Int]
}

/// Why a training or evaluation file cannot be read.
package struct CoNLLError: Error, CustomStringConvertible {
    package let description: String
}

/// Reads CoNLL-2003-style files: one token a line (`word ... TAG`, the tag last, IOB1 or IOB2),
/// a blank line ends a sentence, `-DOCSTART-` starts a document. A file without `-DOCSTART-` lines is
/// one document.
package enum CoNLLCorpus {
    package static func read(_ path: String) throws -> [CoNLLDocument] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CoNLLError(description: "cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw CoNLLError(description: "\(path) is not text")
        }
        return try parse(text, name: path)
    }

    package static func parse(_ text: String, name: String) throws -> [CoNLLDocument] {
        var documents: [CoNLLDocument] = []
        var sequence = NERSequence()
        var tags: [Substring] = []
        var sentenceTags: [Substring] = []
        func endSentence() {
            sequence.endSentence()
            tags += sentenceTags
            sentenceTags.removeAll()
        }
        func endDocument() {
            endSentence()
            if !sequence.tokens.isEmpty {
                documents.append(CoNLLDocument(sequence: sequence, labels: NERLabel.fromIOB(tags)))
            }
            sequence = NERSequence()
            tags.removeAll()
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty {
                endSentence()
                continue
            }
            if fields[0] == "-DOCSTART-" {
                endDocument()
                continue
            }
            guard fields.count >= 2 else {
                throw CoNLLError(description: "\(name):\(number + 1): expected a word and a tag, found \"\(line)\"")
            }
            let tag = fields[fields.count - 1]
            guard tag == "O" || (tag.count > 2 && NERType(tag: tag.dropFirst(2)) != nil
                                 && (tag.hasPrefix("B-") || tag.hasPrefix("I-"))) else {
                throw CoNLLError(description: "\(name):\(number + 1): unknown tag \(tag) (expected O, B-/I- with PER, ORG, LOC or MISC)")
            }
            sequence.append(form: sequence.formID(String(fields[0])))
            sentenceTags.append(tag)
        }
        endDocument()
        guard !documents.isEmpty else { throw CoNLLError(description: "\(name) holds no tokens") }
        return documents
    }
}
