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

    @Test func whatALostWorkerHeldWithOthersIsSentAloneSoOnlyItsOwnCrashesCountAgainstIt() throws {
        var dispatcher = dispatcher(workerBytes: 100_000)
        let (a, b, c) = (Array("a".utf8), Array("b".utf8), Array("c".utf8))
        for seq in 1...4 { dispatcher.admit(article(UInt64(seq), bytes: 100)) }
        dispatcher.ready(worker: a, capacity: 64, done: [], batch: 8, now: now)
        #expect(dispatcher.nextMessages(now: now, maxBytes: 100_000).map { $0.raws.map(\.seq) } == [[1, 2, 3, 4]])
        // One of the four killed the worker: all four are charged, and all four become suspect.
        dispatcher.dropWorker(a, reason: "worker disconnected")
        #expect((1...4).allSatisfy { dispatcher.entries[UInt64($0)]?.suspect == true })
        #expect(dispatcher.entries[1]?.raw.attempt == 2)
        dispatcher.admit(article(5, bytes: 100))
        dispatcher.ready(worker: b, capacity: 64, done: [], batch: 8, now: now)
        dispatcher.ready(worker: c, capacity: 64, done: [], batch: 8, now: now)
        var sent = dispatcher.nextMessages(now: now, maxBytes: 100_000).map { $0.raws.map(\.seq) }
        #expect(sent.sorted { $0[0] < $1[0] } == [[1], [2]], "a suspect goes alone, one to each worker holding nothing")
        #expect(dispatcher.nextAssignment(now: now) == nil,
                "the rest waits, the regular article behind the suspects too")
        // Which of b and c took which depends on the order of a dictionary. The one holding 1 finishes it and
        // takes the next suspect; the other dies with its suspect alone: that one is charged again.
        let first = try #require(dispatcher.entries[1]?.worker)
        let second = try #require(dispatcher.entries[2]?.worker)
        dispatcher.ready(worker: first, capacity: 64, done: [1], batch: 8, now: now)
        sent = dispatcher.nextMessages(now: now, maxBytes: 100_000).map { $0.raws.map(\.seq) }
        #expect(sent == [[3]])
        dispatcher.dropWorker(second, reason: "worker disconnected")
        #expect(dispatcher.entries[2]?.raw.attempt == 3)
        #expect(dispatcher.entries[3]?.raw.attempt == 2, "an article that went down with another is charged once")
        // The queue is 4 (suspect), 5, 2 (suspect): each suspect waits for an empty worker, the regular article
        // does not; and once the suspects are done, articles go several to a message again.
        func step(done: [UInt64]) -> [[UInt64]] {
            dispatcher.ready(worker: first, capacity: 64, done: done, batch: 8, now: now)
            return dispatcher.nextMessages(now: now, maxBytes: 100_000).map { $0.raws.map(\.seq) }
        }
        #expect(step(done: [3]) == [[4]])
        #expect(step(done: [4]) == [[5]])
        #expect(step(done: [5]) == [[2]])
        for seq in 6...7 { dispatcher.admit(article(UInt64(seq), bytes: 100)) }
        #expect(step(done: [2]) == [[6, 7]])
    }
}
