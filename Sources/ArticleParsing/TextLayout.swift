/// The layout of a plain-text article: header (seed `date YYYY-MM-DD Title` line, or a title line),
/// an optional dateline line, and paragraphs separated by blank lines or marked by indentation (Reuters),
/// with hard-wrapped lines re-joined and wire signatures (`Reuter`) removed.
struct TextLayout {
    var title: String?
    var published: String?
    var dateline: DatelineParser.DatelineParts?
    var paragraphs: [String]

    /// Lays out `text`. With `hasTitle` (JSON or HTML gave one) the first line is body, not title.
    init(text: String, hasTitle: Bool) {
        // Split on the newline byte: splitting a String by Character walks grapheme clusters, ten times slower.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Substring($0) }
        var index = lines.firstIndex { !TextCleaner.isBlank($0) } ?? lines.endIndex
        if !hasTitle, index < lines.endIndex {
            let first = TextCleaner.clean(lines[index])
            let nextIsBlank = index + 1 >= lines.endIndex || TextCleaner.isBlank(lines[index + 1])
            if let header = Self.seedHeader(first) {
                published = header.date
                title = header.title.isEmpty ? nil : header.title
                index += 1
            } else if (first.count <= 250 && nextIsBlank) || (first.count <= 120 && !Self.endsSentence(first)) {
                title = first
                index += 1
            }
        }
        while index < lines.endIndex, TextCleaner.isBlank(lines[index]) { index += 1 }
        if index < lines.endIndex, let found = DatelineParser.standalone(TextCleaner.clean(lines[index])) {
            dateline = found
            index += 1
        }
        var paragraphs = Self.paragraphs(lines[index...])
        Self.dropSignature(&paragraphs)
        if dateline == nil, let first = paragraphs.first, let lede = DatelineParser.lede(first) {
            dateline = lede.dateline
            let rest = String(lede.rest ?? "")
            if rest.isEmpty { paragraphs.removeFirst() } else { paragraphs[0] = rest }
        }
        self.paragraphs = paragraphs
    }

    /// ` date 2017-09-23 Title` (the seed format), the keyword in any case.
    static func seedHeader(_ line: String) -> (date: String, title: String)? {
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, words[0].lowercased() == "date", let parts = DateText.parseISO(words[1]),
              words[1].count == 10, let date = DateText.iso(year: parts.year, month: parts.month, day: parts.day)
        else { return nil }
        return (date, words.count > 2 ? String(words[2]) : "")
    }

    private static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last else { return false }
        return ".!?:;\"”".contains(last)
    }

    /// Blocks separated by blank lines; inside a block, a line indented deeper than the block's least
    /// indented line starts a new paragraph (Reuters' 4-space indents). Lines of a paragraph are joined.
    static func paragraphs(_ lines: ArraySlice<Substring>) -> [String] {
        var result: [String] = []
        var block: [Substring] = []
        func finishBlock() {
            defer { block.removeAll() }
            guard !block.isEmpty else { return }
            let indents = block.map { TextCleaner.indentation($0) }
            let least = indents.min() ?? 0
            let marksParagraphs = block.count > 1 && indents.contains { $0 > least }
            var current: [Substring] = []
            for (line, indent) in zip(block, indents) {
                if marksParagraphs, indent > least, !current.isEmpty {
                    append(current)
                    current.removeAll()
                }
                current.append(line)
            }
            append(current)
        }
        func append(_ lines: [Substring]) {
            let joined = TextCleaner.clean(lines.map { $0.trimmingPrefix(while: { $0 == " " || $0 == "\t" }) }
                .joined(separator: " "))
            if !joined.isEmpty { result.append(joined) }
        }
        for line in lines {
            if TextCleaner.isBlank(line) { finishBlock() } else { block.append(line) }
        }
        finishBlock()
        return result
    }

    /// Removes a closing wire signature (`Reuter`, `REUTER`, `AP`) alone at the end.
    static func dropSignature(_ paragraphs: inout [String]) {
        guard let last = paragraphs.last else { return }
        let signatures: Set<String> = ["reuter", "reuters", "ap", "afp", "upi"]
        if signatures.contains(last.lowercased()) {
            paragraphs.removeLast()
            return
        }
        for signature in [" Reuter", " REUTER"] where last.hasSuffix(signature) {
            paragraphs[paragraphs.count - 1] = String(last.dropLast(signature.count))
        }
    }
}

extension Substring {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> Substring {
        var copy = self
        while let first = copy.first, predicate(first) { copy = copy.dropFirst() }
        return copy
    }
}
