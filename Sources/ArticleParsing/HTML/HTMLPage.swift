/// An HTML page read for its article: the main text as paragraphs, boilerplate left out, and what the page
/// says about itself (``PageMetadata``).
struct HTMLPage {
    var paragraphs: [String]
    var metadata: PageMetadata

    init(html: String) {
        var copy = html
        (paragraphs, metadata) = copy.withUTF8 { bytes in Self.read(bytes) }
    }

    /// Less text than this (in bytes) and the page is read again with less trust in class names.
    static let minimumArticle = 500

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> ([String], PageMetadata) {
        let tree = HTMLTree(bytes: bytes)
        let extractor = ContentExtractor(tree: tree, bytes: bytes)
        let metadata = PageMetadata(tree: tree, text: { extractor.text(of: $0) },
                                    attributes: { HTMLAttributes.parse(bytes, $0) })
        var paragraphs = extractor.paragraphs()
        var length = paragraphs.reduce(0) { $0 + $1.utf8.count }
        for trust in [ContentExtractor.Trust.scoresOnly, .none] where length < minimumArticle {
            let again = ContentExtractor(tree: tree, bytes: bytes, trust: trust).paragraphs()
            let againLength = again.reduce(0) { $0 + $1.utf8.count }
            if againLength > length {
                paragraphs = again
                length = againLength
            }
        }
        // A page whose markup hides the article (rendered by script, split oddly) may still state it whole in
        // JSON-LD: take that when the markup gave much less.
        if let stated = metadata.articleBody {
            let statedParagraphs = stated.split(whereSeparator: \.isNewline).map { TextCleaner.clean($0) }.filter { !$0.isEmpty }
            let statedLength = statedParagraphs.reduce(0) { $0 + $1.utf8.count }
            let foundLength = paragraphs.reduce(0) { $0 + $1.utf8.count }
            if statedLength > 200, foundLength * 2 < statedLength { paragraphs = statedParagraphs }
        }
        if let title = metadata.title, let first = paragraphs.first, first == title { paragraphs.removeFirst() }
        return (paragraphs, metadata)
    }
}
