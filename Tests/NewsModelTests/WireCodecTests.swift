import Foundation
import NewsModel
import Testing

@Suite("Wire protocol codec")
struct WireCodecTests {
    static let raw = RawArticle(
        id: "0123456789abcdef", seq: 42, attempt: 2, source: SourceRef(kind: "dir", uri: "/data/inbox/a.txt"),
        fetchedAt: "2026-11-29T03:25:20.123Z", name: "a.txt", body: Array("date 2017-09-23 T\n\nbody".utf8))

    static let messages: [WireMessage] = [
        .inject(InjectHeader(source: SourceRef(kind: "zmq", uri: "py"), name: "x.txt"), body: Array("hello".utf8)),
        .raw(raw),
        .parsed(ResultHeader(id: "0123456789abcdef", seq: 42, worker: "parser-1"), record: Array("{}".utf8)),
        .failure(
            FailureHeader(id: "ab", seq: 1, worker: "parser-2", attempt: 3, reason: "not_text", source: raw.source,
                          fetchedAt: raw.fetchedAt, name: nil), raw: [0, 1, 2]),
        .ack([Ack(seq: 1, id: "a", outcome: .written), Ack(seq: 2, id: "b", outcome: .deadLetter)]),
        .ready(Ready(worker: "parser-1", capacity: 8, done: [1, 2, 3])),
        .heartbeat(Heartbeat(role: "fetcher", instance: "fetcher", epoch: "1-2", inFlight: 5)),
        .accepted([Acceptance(ref: "r-1", id: "abc", seq: 9)]),
        .refused([Refusal(ref: "r-2", reason: "the journal's disk is full")]),
        .inject(InjectHeader(name: "y.txt", ref: "r-2"), body: Array("x".utf8)),
        // Headers written directly: escapes, every optional, feed sources, empty lists.
        .inject(InjectHeader(source: SourceRef(kind: "feed", uri: "https://x/a?b=\"c\"", feed: "f", feedName: "n\t", tags: ["t", "é"]),
                             name: "a\\b", id: "bench-1", ref: "r\n3"), body: []),
        .raw(RawArticle(id: "i", seq: 0, attempt: 1, source: SourceRef(kind: "feed", uri: "u", tags: []), fetchedAt: "t",
                        name: nil, body: [0xFF], deadLetterReason: "too \"big\"\u{01}")),
        .ack([]),
        .ready(Ready(worker: "w", capacity: 0, done: [])),
        // Batched dispatch: a worker announces its batch; the fetcher sends a header and a payload per article.
        .ready(Ready(worker: "parser-2", capacity: 64, done: [7], batch: 32)),
        .rawBatch([raw, RawArticle(id: "j", seq: 43, source: SourceRef(kind: "zmq", uri: "u"), fetchedAt: "t",
                                   name: nil, body: [], deadLetterReason: "over limits")]),
    ]

    @Test("every message kind survives a round trip", arguments: messages)
    func roundTrip(message: WireMessage) throws {
        let frames = WireCodec.encode(message)
        #expect(frames[0] == Array("newsflow/1".utf8))
        #expect(String(decoding: frames[1], as: UTF8.self) == message.kind)
        #expect(try WireCodec.decode(frames) == message)
    }

    @Test("headers written directly are the bytes JSONEncoder writes with sorted keys: accepted, refused, ready")
    func directHeaders() throws {
        struct Accepted: Encodable { var accepted: [Acceptance]; var refused: [Refusal]? }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let acceptances = [Acceptance(ref: "r/1 \"q\"", id: "0123456789abcdef", seq: UInt64.max), Acceptance(ref: "", id: "é", seq: 0)]
        let refusals = [Refusal(ref: "r-2", reason: "the journal's disk is full\n(ENOSPC)")]
        let ready = Ready(worker: "parser-1/12-34", capacity: 8, done: [3, 1, 2])
        #expect(WireCodec.encode(.accepted(acceptances))[2] == Array(try encoder.encode(Accepted(accepted: acceptances))))
        #expect(WireCodec.encode(.accepted([]))[2] == Array(try encoder.encode(Accepted(accepted: []))))
        #expect(WireCodec.encode(.refused(refusals))[2] == Array(try encoder.encode(Accepted(accepted: [], refused: refusals))))
        #expect(WireCodec.encode(.ready(ready))[2] == Array(try encoder.encode(ready)))
        let batched = Ready(worker: "parser-1/12-34", capacity: 64, done: [], batch: 32)
        #expect(WireCodec.encode(.ready(batched))[2] == Array(try encoder.encode(batched)))
        // And what a client may write otherwise still reads: spacing, order, an unknown key.
        let spaced = [Array("newsflow/1".utf8), Array("accepted".utf8),
                      Array(#"{ "extra": 1, "accepted" : [ {"seq": 7, "id": "a", "ref": "b"} ], "refused": null }"#.utf8)]
        #expect(try WireCodec.decode(spaced) == .accepted([Acceptance(ref: "b", id: "a", seq: 7)]))
        let ready2 = [Array("newsflow/1".utf8), Array("ready".utf8), Array(#"{"done":[],"worker":"w","capacity":2.0}"#.utf8)]
        #expect(try WireCodec.decode(ready2) == .ready(Ready(worker: "w", capacity: 2, done: [])))
    }

    /// The header and payload frames of `count` raw articles.
    static func raws(_ count: Int) -> [[UInt8]] {
        Array(WireCodec.encode(.rawBatch(Array(repeating: raw, count: max(2, count))))[2...].prefix(2 * count))
    }

    @Test("malformed frames are refused with a precise code")
    func malformed() {
        let cases: [([[UInt8]], WireError.Code)] = [
            ([Array("newsflow/1".utf8)], .wrongFrameCount),
            ([Array("hello".utf8), Array("raw".utf8), Array("{}".utf8), []], .badSignature),
            ([Array("newsflow/9".utf8), Array("raw".utf8), Array("{}".utf8), []], .unsupportedVersion),
            ([Array("newsflow/1".utf8), Array("teleport".utf8), Array("{}".utf8)], .unknownKind),
            ([Array("newsflow/1".utf8), Array("raw".utf8), Array("{not json".utf8), []], .badHeader),
            ([Array("newsflow/1".utf8), Array("raw".utf8), Array("{}".utf8)], .wrongFrameCount),
            // A batch is a header and a payload per article: an odd frame out is refused, not guessed at.
            ([Array("newsflow/1".utf8), Array("raw".utf8)] + Self.raws(2) + [Array("{}".utf8)], .wrongFrameCount),
            // One bad header in a batch refuses the message.
            ([Array("newsflow/1".utf8), Array("raw".utf8)] + Self.raws(1) + [Array("{not json".utf8), []], .badHeader),
            ([Array("newsflow/1".utf8), Array("ack".utf8), Array("{\"acks\":[]}".utf8), []], .wrongFrameCount),
        ]
        for (frames, code) in cases {
            #expect(throws: WireError.self) { try WireCodec.decode(frames) }
            do {
                _ = try WireCodec.decode(frames)
            } catch {
                #expect(error.code == code)
            }
        }
    }

    @Test("content ids are stable and record lines expose their id")
    func ids() throws {
        let a = ArticleID(contentOf: Array("same bytes".utf8))
        #expect(a == ArticleID(contentOf: Array("same bytes".utf8)))
        #expect(a != ArticleID(contentOf: Array("other bytes".utf8)))
        #expect(a.description.count == 16)
        #expect(ArticleID(hex: a.description) == a)
        let line = RecordEncoder.encode(
            Article(
                id: "00000000000000ff", seq: 1, source: SourceRef(kind: "dir", uri: "x"), fetchedAt: "t",
                dateline: Dateline(text: "\"id\":\"x\""), body: "body with \"id\":\"fake\"", paragraphs: [],
                stats: ArticleStats(words: 0, sentences: 0, paragraphs: 0, readingTimeSeconds: 0), keywords: [],
                summary: "", simhash: "0", parser: ParserInfo(version: "1", worker: "w", elapsedMicroseconds: 1)))
        #expect(RecordLine.id(in: line[...]) == "00000000000000ff")
    }
}

@Suite("CRC-32")
struct CRC32Tests {
    @Test("the standard check value, and eight bytes at a time equals one at a time for every length")
    func checksum() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // A lazy map has no contiguous storage: it takes the byte-at-a-time path.
            #expect(CRC32.checksum(bytes) == CRC32.checksum(bytes.lazy.map { $0 }), "length \(length)")
        }
    }
}

@Suite("Headers read without JSONDecoder")
struct FastHeaderTests {
    static func raw(_ header: String) throws(WireError) -> RawArticle? {
        let frames = [Array("newsflow/1".utf8), Array("raw".utf8), Array(header.utf8), Array("body".utf8)]
        if case .raw(let raw) = try WireCodec.decode(frames[...]) { return raw }
        return nil
    }

    @Test("any JSON a client may write: spacing, key order, escapes, surrogate pairs, nulls, unknown keys")
    func clientShapes() throws {
        let header = #"""
             { "source" : {"uri":"a\/b \u00e9 \ud83d\ude00 \"q\"","kind":"zmq","tags":null} ,
               "seq": 18446744073709551615, "attempt":1, "id":"x\n", "fetched_at":"t", "name":null, "extra":[1,{"a":true}] }
            """#
        let decoded = try #require(try Self.raw(header))
        #expect(decoded.seq == UInt64.max)
        #expect(decoded.id == "x\n")
        #expect(decoded.name == nil)
        #expect(decoded.source == SourceRef(kind: "zmq", uri: "a/b é 😀 \"q\""))
        // Forms the fast reader leaves to JSONDecoder still decode.
        let fractional = try #require(try Self.raw(#"{"seq":1,"attempt":1.0,"id":"i","fetched_at":"t","source":{"kind":"k","uri":"u"}}"#))
        #expect(fractional.attempt == 1)
    }

    @Test("headers with wrong members are refused as bad headers, whichever reader saw them")
    func refused() {
        for header in [
            #"{"seq":-1,"attempt":1,"id":"i","fetched_at":"t","source":{"kind":"k","uri":"u"}}"#,
            #"{"seq":"1","attempt":1,"id":"i","fetched_at":"t","source":{"kind":"k","uri":"u"}}"#,
            #"{"attempt":1,"id":"i","fetched_at":"t","source":{"kind":"k","uri":"u"}}"#,
            #"{"seq":1,"attempt":1,"id":"i","fetched_at":"t","source":{"kind":"k"}}"#,
            #"{"seq":1,"attempt":1,"id":"\ud800","fetched_at":"t","source":{"kind":"k","uri":"u"}}"#,
            #"{"seq":1,"attempt":1,"id":"i","fetched_at":"t","source":{"kind":"k","uri":"u"}} trailing"#,
            "[1,2]", "",
        ] {
            #expect(throws: WireError.self, "\(header)") { _ = try Self.raw(header) }
        }
    }
}
