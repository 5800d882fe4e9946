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
        // Lines are byte ranges of the text's UTF-8: splitting a String by Character walks grapheme
        // clusters, and every line as a String would be allocated only to be joined again.
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        lines.reserveCapacity(bytes.count / 48 + 4)
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(bytes[start..<offset])
            start = offset + 1
        }
        lines.append(bytes[start...])
        var index = lines.firstIndex { !TextCleaner.isBlank(bytes: $0) } ?? lines.endIndex
        if !hasTitle, index < lines.endIndex {
            let first = TextCleaner.clean(bytes: lines[index])
            let nextIsBlank = index + 1 >= lines.endIndex || TextCleaner.isBlank(bytes: lines[index + 1])
            if let header = Self.seedHeader(first) {
                published = header.date
                title = header.title.isEmpty ? nil : header.title
                index += 1
            } else if (Self.fits(first, 250) && nextIsBlank) || (Self.fits(first, 120) && !Self.endsSentence(first)) {
                title = first
                index += 1
            }
        }
        while index < lines.endIndex, TextCleaner.isBlank(bytes: lines[index]) { index += 1 }
        if index < lines.endIndex, lines[index].count <= 400,
           let found = DatelineParser.standalone(TextCleaner.clean(bytes: lines[index])) {
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
        // Cheap test first: the line must start (after spaces) with `date` in any case.
        let head = line.utf8.drop { $0 == 0x20 }.prefix(5).map { $0 | 0x20 }
        guard head.starts(with: "date ".utf8) else { return nil }
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, words[0].lowercased() == "date", let parts = DateText.parseISO(words[1]),
              words[1].count == 10, let date = DateText.iso(year: parts.year, month: parts.month, day: parts.day)
        else { return nil }
        return (date, words.count > 2 ? String(words[2]) : "")
    }

    /// Whether `line` has at most `limit` characters; its UTF-8 length answers most lines without
    /// walking grapheme clusters.
    private static func fits(_ line: String, _ limit: Int) -> Bool {
        line.utf8.count <= limit || line.count <= limit
    }

    private static func endsSentence(_ line: String) -> Bool {
        guard let last = line.last else { return false }
        return ".!?:;\"”".contains(last)
    }

    /// Blocks separated by blank lines; inside a block, a line indented deeper than the block's least
    /// indented line starts a new paragraph (Reuters' 4-space indents). Lines of a paragraph are joined.
    static func paragraphs(_ lines: ArraySlice<ArraySlice<UInt8>>) -> [String] {
        var result: [String] = []
        var block: [ArraySlice<UInt8>] = []
        var joined: [UInt8] = []
        func finishBlock() {
            defer { block.removeAll(keepingCapacity: true) }
            guard !block.isEmpty else { return }
            let indents = block.map { TextCleaner.indentation(bytes: $0) }
            let least = indents.min() ?? 0
            let marksParagraphs = block.count > 1 && indents.contains { $0 > least }
            var first = block.startIndex
            for (position, indent) in indents.enumerated() where marksParagraphs && indent > least && position > first {
                append(block[first..<position])
                first = position
            }
            append(block[first...])
        }
        func append(_ lines: ArraySlice<ArraySlice<UInt8>>) {
            joined.removeAll(keepingCapacity: true)
            for line in lines {
                if !joined.isEmpty { joined.append(0x20) }
                joined += line.drop { $0 == 0x20 || $0 == 0x09 }
            }
            let paragraph = TextCleaner.clean(bytes: joined[...])
            if !paragraph.isEmpty { result.append(paragraph) }
        }
        for line in lines {
            if TextCleaner.isBlank(bytes: line) { finishBlock() } else { block.append(line) }
        }
        finishBlock()
        return result
    }

    private static let signatures: Set<String> = ["reuter", "reuters", "ap", "afp", "upi"]

    /// Removes a closing wire signature (`Reuter`, `REUTER`, `AP`, also `REUTER...` when the wire marks
    /// a story cut short) alone at the end.
    static func dropSignature(_ paragraphs: inout [String]) {
        guard let paragraph = paragraphs.last else { return }
        var last = Substring(paragraph)
        while let end = last.last, end == "." || end == "\u{2026}" || end == " " { last = last.dropLast() }
        if last.utf8.count <= 8, signatures.contains(last.lowercased()) {
            paragraphs.removeLast()
            return
        }
        for signature in [" Reuter", " REUTER"] where last.hasSuffix(signature) {
            paragraphs[paragraphs.count - 1] = String(last.dropLast(signature.count))
        }
    }
}
