import Foundation
import NewsModel
import Testing

@Suite("Near-duplicate fingerprint")
struct SimHashTests {
    static func bits(_ a: String, _ b: String) -> Int {
        guard let x = UInt64(a, radix: 16), let y = UInt64(b, radix: 16) else { return 64 }
        return (x ^ y).nonzeroBitCount
    }

    @Test("a lightly edited copy is near in both fingerprints, a different story far")
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
        #expect(try MinHashTests.agreement(original.minhash, original.minhash) == MinHashSketch.count)
        #expect(try MinHashTests.agreement(original.minhash, copy.minhash) >= 48)
        #expect(try MinHashTests.agreement(original.minhash, other.minhash) <= 6)
    }
}

@Suite("Near-duplicate sketch (minhash)")
struct MinHashTests {
    static func agreement(_ a: String?, _ b: String?) throws -> Int {
        let x = try #require(a.flatMap { MinHashSketch(text: Array($0.utf8)[...]) })
        let y = try #require(b.flatMap { MinHashSketch(text: Array($0.utf8)[...]) })
        return (0..<MinHashSketch.count).filter { x.values[$0] == y.values[$0] }.count
    }

    /// Words of a text as a reader counts them: lower-cased runs of letters and digits.
    static func shingles(_ text: String) -> Set<String> {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        return Set((0..<max(0, words.count - 4)).map { words[$0..<($0 + 5)].joined(separator: " ") })
    }

    @Test("templated one-paragraph stories under Jaccard 0.5 are never taken for copies (agreement under 42 of 64)")
    func templated() throws {
        let cities = [("Nairobi", "Kenya"), ("Oslo", "Norway"), ("Lima", "Peru")]
        let texts = (0..<150).map { index in
            let (city, country) = cities[index % cities.count]
            return "Generated story number \(index)\n\n\(city), \(country), March \(index % 28 + 1)\n\n"
                + "Officials in \(city) said on Tuesday that project \(index) would start next month, the ministry said.\n\n"
                + "The plan covers \(index % 97 + 3) districts and was approved after a long debate in parliament."
        }
        let sketches = try texts.map { try #require(ParserTestSupport.parse($0).value?.minhash) }
        let sets = texts.map(Self.shingles)
        var similar = 0
        var taken: [String] = []
        for a in texts.indices {
            for b in texts.indices where b > a {
                let jaccard = Double(sets[a].intersection(sets[b]).count) / Double(sets[a].union(sets[b]).count)
                guard jaccard < 0.5 else { continue }
                if jaccard >= 0.3 { similar += 1 }
                if try Self.agreement(sketches[a], sketches[b]) >= 42 { taken.append("\(a)-\(b) (\(jaccard))") }
            }
        }
        #expect(similar > 1000, "the texts share their template")
        #expect(taken.isEmpty)
    }

    @Test("the written form reads back; another version, length or digit does not")
    func writtenForm() throws {
        var values = SIMD64<UInt16>()
        for index in 0..<64 { values[index] = UInt16(truncatingIfNeeded: index &* 40_503 &+ 7) }
        let sketch = MinHashSketch(values: values)
        #expect(sketch.text.utf8.count == 2 + 256)
        #expect(MinHashSketch(text: Array(sketch.text.utf8)[...]) == sketch)
        #expect(MinHashSketch(text: Array(("2" + sketch.text.dropFirst()).utf8)[...]) == nil)
        #expect(MinHashSketch(text: Array(sketch.text.dropLast().utf8)[...]) == nil)
        #expect(MinHashSketch(text: Array((sketch.text.dropLast() + "G").utf8)[...]) == nil)
    }
}
