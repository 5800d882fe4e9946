import Foundation
import NewsModel
import Testing

@Suite("Near-duplicate fingerprint")
struct SimHashTests {
    static func bits(_ a: String, _ b: String) -> Int {
        guard let x = UInt64(a, radix: 16), let y = UInt64(b, radix: 16) else { return 64 }
        return (x ^ y).nonzeroBitCount
    }

    @Test("a lightly edited copy differs in few bits, a different story in many")
    func nearCopies() throws {
        let seed = String(decoding: try Data(contentsOf: ParserTestSupport.seedURL), as: UTF8.self)
        let edited = seed.replacingOccurrences(of: "broad exchange of views", with: "wide exchange of opinions")
            .replacingOccurrences(of: "20 percent", with: "a fifth")
        let original = try #require(ParserTestSupport.parse(seed).value)
        let copy = try #require(ParserTestSupport.parse(edited).value)
        let other = try #require(ParserTestSupport.parse(
            "Rain delays harvest\n\nFarmers in the south said heavy rain had delayed the wheat harvest by two weeks, "
                + "and prices for bread flour rose on Tuesday as mills waited for supplies.").value)
        #expect(Self.bits(original.simhash, copy.simhash) <= 8)
        #expect(Self.bits(original.simhash, other.simhash) >= 16)
    }
}
