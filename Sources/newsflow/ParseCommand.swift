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

    @Argument(help: "The article file, or - to read standard input; several files give one record per line.")
    var files: [String]

    @Flag(name: .long, help: "Pretty-print the JSON (one file only).")
    var pretty = false

    @Flag(name: .long, help: "One record per line even for one file (JSON Lines), as for several.")
    var lines = false

    @Option(name: .long, help: "The entity model file (default: the shipped model).")
    var nerModel: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name a file, or - for standard input") }
        guard !(pretty && (lines || files.count > 1)) else { throw ValidationError("--pretty prints one record; not with --lines or several files") }
    }

    func run() throws {
        let model: NERModel
        do {
            model = try NERModel.load(setting: nerModel)
        } catch {
            throw Failure(message: "\(error)")
        }
        let parser = ArticleParser(entityModel: model)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var failures: [String] = []
        var output = Data()
        for file in files {
            switch Self.record(file, parser: parser) {
            case .success(let article):
                // One line per record, as the workers write them; indented when asked.
                if pretty {
                    output.append(try encoder.encode(article))
                } else {
                    output.append(contentsOf: article.jsonLine())
                }
                output.append(UInt8(ascii: "\n"))
                if output.count > 1 << 20 {
                    FileHandle.standardOutput.write(output)
                    output.removeAll(keepingCapacity: true)
                }
            case .failure(let failure):
                guard files.count > 1 else { throw failure }
                failures.append(failure.message)
                FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            }
        }
        FileHandle.standardOutput.write(output)
        if !failures.isEmpty {
            throw Failure(message: "\(failures.count) of \(files.count) files could not be parsed")
        }
    }

    /// One file's record, or why there is none.
    static func record(_ file: String, parser: ArticleParser) -> Result<Article, Failure> {
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
            return .failure(Failure(message: "cannot read \(file): \(error.localizedDescription)"))
        }
        let raw = RawArticle(
            id: ArticleID(contentOf: bytes).description, seq: 0, source: source, fetchedAt: Timestamp.now(),
            name: file == "-" ? nil : URL(fileURLWithPath: file).lastPathComponent, body: bytes)
        return parser.parse(raw, worker: "parse").mapError { Failure(message: "\(file): \($0)") }
    }

    /// A failure reported as one line on stderr with exit status 1.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
