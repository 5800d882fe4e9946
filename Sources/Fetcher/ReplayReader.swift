import Foundation
import NewsModel
import StreamFiles

/// Reads stored streams for replay, in a fixed order so a replay can resume by position: journal segments
/// (raw articles, checksummed) and previous output (`out/*.jsonl`, records re-parsed from the text they
/// carry), plain or gzip, given as files or folders, alone or mixed.
public final class ReplayReader {
    /// Which stored articles a replay takes.
    public struct Filter: Sendable {
        /// Only articles at or after this time.
        public var since: Date?
        /// Only articles before this time.
        public var until: Date?
        /// Filter on the publication date instead of the fetch time (records only; journal lines have none).
        public var onPublished = false
        /// Only articles first fetched from this kind of source.
        public var sourceKind: String?
        /// Only these ids.
        public var ids: Set<String>?
        /// Case-insensitive text the title must contain.
        public var match: String?

        /// No filtering.
        public init() {}
    }

    private let files: [URL]
    private let filter: Filter
    private var fileIndex = 0
    private var lines: [ArraySlice<UInt8>] = []
    private var lineIndex = 0
    /// Lines consumed so far, taken or filtered out: the resume position.
    public private(set) var consumed = 0
    /// Lines that could not be read as an article.
    private(set) var unreadable = 0

    /// A reader over `paths` (files or folders) in a fixed order.
    public init(paths: [String], filter: Filter) throws {
        var files: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReplayError("replay source \(path) does not exist")
            }
            let url = URL(fileURLWithPath: path)
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
                files += names.filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".jsonl.gz") }
                    .map { url.appendingPathComponent($0) }
            } else {
                files.append(url)
            }
        }
        self.files = files
        self.filter = filter
    }

    /// Every line of every source, counted without decoding (for progress and ETA).
    public func countLines() -> Int {
        var total = 0
        for file in files {
            _ = try? LineReader.forEachLine(in: file) { line in if !line.isEmpty { total += 1 } }
        }
        return total
    }

    /// Skips `count` lines (resuming a replay).
    public func skip(_ count: Int) throws {
        while consumed < count, try nextLine() != nil {}
    }

    /// The next article that passes the filter, or `nil` at the end of the sources.
    public func next() throws -> RawArticle? {
        while let line = try nextLine() {
            guard let raw = Self.article(from: line) else {
                unreadable += 1
                continue
            }
            if passes(raw.article, published: raw.published, title: raw.title) { return raw.article }
        }
        return nil
    }

    private func nextLine() throws -> ArraySlice<UInt8>? {
        while lineIndex >= lines.count {
            guard fileIndex < files.count else { return nil }
            var loaded: [ArraySlice<UInt8>] = []
            try LineReader.forEachLine(in: files[fileIndex]) { line in
                if !line.isEmpty { loaded.append(ArraySlice(Array(line))) }
            }
            fileIndex += 1
            lines = loaded
            lineIndex = 0
        }
        defer { lineIndex += 1 }
        consumed += 1
        return lines[lineIndex]
    }

    private func passes(_ raw: RawArticle, published: String?, title: String?) -> Bool {
        if let kind = filter.sourceKind, !raw.source.uri.hasPrefix(kind + ":") { return false }
        if let ids = filter.ids, !ids.contains(raw.id) { return false }
        if let match = filter.match, !(title ?? "").localizedCaseInsensitiveContains(match) { return false }
        if filter.since != nil || filter.until != nil {
            let stamp = filter.onPublished ? published : raw.fetchedAt
            guard let stamp, let date = ReplayTime.parse(stamp) else { return false }
            if let since = filter.since, date < since { return false }
            if let until = filter.until, date >= until { return false }
        }
        return true
    }

    /// A journal line as it was, or an output record turned back into raw text; the source becomes
    /// `replay` with the original kind and uri kept in the uri.
    static func article(from line: ArraySlice<UInt8>) -> (article: RawArticle, published: String?, title: String?)? {
        if case .success(var raw) = JournalLine.decode(line) {
            raw.source = SourceRef(kind: "replay", uri: "\(raw.source.kind):\(raw.source.uri)", published: raw.source.published)
            raw.deadLetterReason = nil
            let title = String(decoding: raw.body.prefix(300), as: UTF8.self).split(separator: "\n").first.map(String.init)
            return (raw, nil, title)
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
              let id = object["id"] as? String, let fetchedAt = object["fetched_at"] as? String
        else { return nil }
        let source = object["source"] as? [String: Any]
        let originalKind = source?["kind"] as? String ?? "unknown"
        let originalURI = source?["uri"] as? String ?? ""
        let published = object["published"] as? String
        let title = object["title"] as? String
        var paragraphs = object["paragraphs"] as? [String] ?? []
        if let dateline = (object["dateline"] as? [String: Any])?["text"] as? String, !paragraphs.isEmpty {
            paragraphs[0] = "\(dateline) - \(paragraphs[0])"
        }
        var text = ""
        if let title {
            if let published, published.count >= 10 {
                text = " date \(published.prefix(10)) \(title)\n\n"
            } else {
                text = "\(title)\n\n"
            }
        }
        text += paragraphs.joined(separator: "\n\n")
        let uri = originalKind == "replay" ? originalURI : "\(originalKind):\(originalURI)"
        let raw = RawArticle(
            id: id, seq: 0, source: SourceRef(kind: "replay", uri: uri), fetchedAt: fetchedAt,
            name: (originalURI as NSString).lastPathComponent, body: Array(text.utf8))
        return (raw, published, title)
    }
}

/// Times in replay filters: RFC 3339 date-times or plain dates.
public enum ReplayTime {
    /// The date in `text`, or `nil`.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
        return nil
    }
}

/// A replay that cannot start, in words the user can act on.
struct ReplayError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
