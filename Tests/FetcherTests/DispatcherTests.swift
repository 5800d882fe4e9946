import NewsModel
import Testing

@testable import Fetcher

/// The fetcher's credit bookkeeping: a worker's capacity in articles, and a bound on the raw bytes it holds.
@Suite("Dispatcher")
struct DispatcherTests {
    private let now = ContinuousClock.now

    private func article(_ seq: UInt64, bytes: Int) -> RawArticle {
        RawArticle(id: "a\(seq)", seq: seq, source: SourceRef(kind: "zmq", uri: "test"),
                   fetchedAt: "2026-12-07T00:00:00.000Z", name: nil, body: [UInt8](repeating: 0x61, count: bytes))
    }

    private func dispatcher(workerBytes: Int) -> Dispatcher {
        Dispatcher(window: 100, maxAttempts: 3, ackTimeout: .seconds(10), workerTimeout: .seconds(10),
                   workerBytes: workerBytes)
    }

    @Test func aWorkerTakesArticlesUpToItsBytesNotOnlyItsCapacity() {
        var dispatcher = dispatcher(workerBytes: 1000)
        for seq in 1...5 { dispatcher.admit(article(UInt64(seq), bytes: 400)) }
        dispatcher.ready(worker: Array("w".utf8), capacity: 64, done: [], now: now)
        var sent: [UInt64] = []
        while let assignment = dispatcher.nextAssignment(now: now) { sent.append(assignment.raw.seq) }
        #expect(sent == [1, 2], "800 bytes held; a third article would make 1,200")
        dispatcher.ready(worker: Array("w".utf8), capacity: 64, done: [1], now: now)
        #expect(dispatcher.nextAssignment(now: now)?.raw.seq == 3)
        #expect(dispatcher.nextAssignment(now: now) == nil)
        // An acknowledgement frees the bytes as a `done` does.
        _ = dispatcher.acknowledge(2, id: "a2")
        #expect(dispatcher.nextAssignment(now: now)?.raw.seq == 4)
    }

    @Test func anArticleLargerThanTheBoundGoesToAWorkerHoldingNothing() {
        var dispatcher = dispatcher(workerBytes: 1000)
        dispatcher.admit(article(1, bytes: 100))
        dispatcher.admit(article(2, bytes: 5000))
        dispatcher.ready(worker: Array("w".utf8), capacity: 8, done: [], now: now)
        #expect(dispatcher.nextAssignment(now: now)?.raw.seq == 1)
        #expect(dispatcher.nextAssignment(now: now) == nil, "the large one waits while the worker holds another")
        dispatcher.ready(worker: Array("w".utf8), capacity: 8, done: [1], now: now)
        #expect(dispatcher.nextAssignment(now: now)?.raw.seq == 2)
    }

    @Test func theWorkerWithMostFreeCreditThatHasRoomIsChosen() {
        var dispatcher = dispatcher(workerBytes: 1000)
        dispatcher.ready(worker: Array("a".utf8), capacity: 10, done: [], now: now)
        dispatcher.ready(worker: Array("b".utf8), capacity: 4, done: [], now: now)
        for seq in 1...6 { dispatcher.admit(article(UInt64(seq), bytes: 300)) }
        var byWorker: [String: [UInt64]] = [:]
        while let assignment = dispatcher.nextAssignment(now: now) {
            byWorker[String(decoding: assignment.worker, as: UTF8.self), default: []].append(assignment.raw.seq)
        }
        #expect(byWorker["a"]?.count == 3 && byWorker["b"]?.count == 3, "\(byWorker)")
    }

    @Test func articlesGoSeveralToAMessageUpToTheWorkersBatchAndTheByteBound() {
        var dispatcher = dispatcher(workerBytes: 100_000)
        dispatcher.ready(worker: Array("b".utf8), capacity: 64, done: [], batch: 4, now: now)
        for seq in 1...10 { dispatcher.admit(article(UInt64(seq), bytes: 100)) }
        dispatcher.admit(article(11, bytes: 900))
        let messages = dispatcher.nextMessages(now: now, maxBytes: 1000)
        #expect(messages.map { $0.raws.map(\.seq) } == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10], [11]],
                "four to a message; the last would pass 1,000 bytes with the two before it")
        var single = self.dispatcher(workerBytes: 100_000)
        single.ready(worker: Array("s".utf8), capacity: 64, done: [], now: now)
        for seq in 1...3 { single.admit(article(UInt64(seq), bytes: 10)) }
        #expect(single.nextMessages(now: now, maxBytes: 1000).map(\.raws.count) == [1, 1, 1],
                "a worker that announced no batch gets one article per message")
    }
}
