import ArgumentParser
import ArticleParsing
import Foundation
import NewsModel

/// `newsflow parse FILE|-`: one article to one JSON record on standard output, no sockets.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse one article (a file, or - for standard input) and print its record as JSON.",
        discussion: "Exit status 0 with the record on stdout; 1 with the reason on stderr when the input is not an article.")

    @Argument(help: "The article file, or - to read standard input.")
    var file: String

    @Flag(name: .long, help: "Pretty-print the JSON.")
    var pretty = false

    func run() throws {
        let bytes: [UInt8]
        let source: SourceRef
        do {
            if file == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
                source = SourceRef(kind: "stdin", uri: "-")
            } else {
                bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
                source = SourceRef(kind: "file", uri: URL(fileURLWithPath: file).standardizedFileURL.path)
            }
        } catch {
            throw Failure(message: "cannot read \(file): \(error.localizedDescription)")
        }
        let raw = RawArticle(
            id: ArticleID(contentOf: bytes).description, seq: 0, source: source, fetchedAt: Timestamp.now(),
            name: file == "-" ? nil : URL(fileURLWithPath: file).lastPathComponent, body: bytes)
        switch ArticleParser().parse(raw, worker: "parse") {
        case .success(let article):
            let encoder = JSONEncoder()
            encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                : [.sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(article)
            data.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(data)
        case .failure(let failure):
            throw Failure(message: "\(file): \(failure)")
        }
    }

    /// A failure reported as one line on stderr with exit status 1.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
