@testable import ArticleParsing
import Testing

/// The byte-keyed table against a Dictionary of the same keys: keys that share their first seven bytes,
/// differ only past them, differ only in length, are empty, long (past 24 and past 255 bytes) or
/// multi-byte, inserted until the table grows several times.
@Suite("Byte tables")
struct ByteTableTests {
    private static func keys() -> [[UInt8]] {
        var keys: [[UInt8]] = [[], Array("a".utf8), Array("ab".utf8), Array("abcdefg".utf8), Array("abcdefgh".utf8),
                               Array("abcdefgi".utf8), Array("abcdefghijklmnopqrstuvwxyz0".utf8),
                               Array("abcdefghijklmnopqrstuvwxyz1".utf8), Array("é".utf8), Array("Zürich".utf8),
                               Array(repeating: 120, count: 255), Array(repeating: 120, count: 256),
                               Array(repeating: 120, count: 257), Array(repeating: 120, count: 300) + [121]]
        // A fixed sequence of words of 1 to 20 letters from a small alphabet: many share their heads.
        var state: UInt64 = 12_345
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let length = Int(state >> 59) % 20 + 1
            keys.append((0..<length).map { UInt8(ascii: "a") + UInt8(truncatingIfNeeded: state >> (UInt64($0 % 8) * 3 + 5)) % 3 })
        }
        return keys
    }

    @Test("finds every key it was given, and no other")
    func agreesWithDictionary() {
        var table = ByteTable(capacity: 4)
        var expected: [[UInt8]: Int32] = [:]
        for key in Self.keys() where expected[key] == nil {
            let id = Int32(expected.count)
            key.withUnsafeBufferPointer { table.insert($0, id: id) }
            expected[key] = id
        }
        #expect(expected.count > 1_000)
        for (key, id) in expected {
            #expect(key.withUnsafeBufferPointer { table.find($0) } == id)
            // One byte more, one byte less, the last byte changed: all absent unless another key.
            for variant in [key + [UInt8(ascii: "q")], Array(key.dropLast()), Array(key.dropLast()) + [UInt8(ascii: "Q")]] {
                #expect(variant.withUnsafeBufferPointer { table.find($0) } == expected[variant])
            }
        }
    }
}
