@testable import ArticleParsing
import Testing

/// The cleaner's byte-level fast path (eight bytes at a time through plain ASCII, spaces written as met)
/// against its scalar-by-scalar full path, which is the definition: both must give the same text for any
/// input the fast path accepts.
@Suite("Text cleaning")
struct TextCleanerTests {
    /// Pieces that exercise every branch: long plain runs, single and double spaces at chunk edges,
    /// tabs and Unicode spaces, dropped characters, character references (valid, unknown, bare `&`),
    /// multi-byte text, and combining marks that send the fast path to the full one.
    private static let pieces = [
        "a", "B", "z9", ".", " ", "  ", "\t", "\r\n", "\u{A0}", "\u{2009}", "\u{3000}", "\u{200B}", "\u{AD}",
        "\u{7}", "\u{7F}", "&amp;", "&nbsp;", "&#233;", "&#x2014;", "&bogus;", "&", "é", "e\u{301}", "—", "“",
        "€", "😀", "international", "Reuters said ", " 1,500 ", "ABCDEFGH", "abcdefg ", " x y z ",
    ]

    @Test("fast and full paths agree on 20,000 random lines")
    func fastPathMatchesFullPath() {
        // A fixed linear congruential sequence: the same 20,000 lines on every run.
        var state: UInt64 = 0x5EED
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<(next() % 40) { line += Self.pieces[next() % Self.pieces.count] }
            let bytes = Array(line.utf8)
            let fast = TextCleaner.clean(bytes: bytes[...])
            let full = TextCleaner.cleanScalars(line)
            #expect(fast == full, "input \(Array(line.unicodeScalars.map(\.value)))")
            if fast != full { return }
        }
    }

    @Test("spaces at the edges of eight-byte chunks", arguments: [
        ("1234567 89", "1234567 89"), ("1234567  89", "1234567 89"), ("12345678 9", "12345678 9"),
        ("  12345678  ", "12345678"), ("1234567\u{A0} 8", "1234567 8"), ("abcdefgh\u{200B} ijk", "abcdefgh ijk"),
        ("abcdefg&amp;hijklmnop", "abcdefg&hijklmnop"), ("abcdefghijklmno ", "abcdefghijklmno"),
    ])
    func chunkEdges(_ input: String, _ expected: String) {
        #expect(TextCleaner.clean(bytes: Array(input.utf8)[...]) == expected)
        #expect(TextCleaner.cleanScalars(input) == expected)
    }
}
