import ArticleParsing
import Foundation
import Logging
import NewsModel
import RoleSupport
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

// Sockets of a parser worker:
//   dispatch DEALER connect <-> fetcher ROUTER: receives `raw` and `heartbeat`, sends `ready`  (loop thread)
//   parsing  PAIR   bind inproc <-> the parsing thread's PAIR: raw articles one way, finished ones back
//   results  PUSH   connect  -> sink PULL: sends `parsed` and `failure`                        (parsing thread)
//
// Articles are parsed on a thread of their own, so the loop thread keeps announcing (the worker's
// heartbeat) while an article is being parsed or the sink is slow: the fetcher can take a worker that
// has been silent for a few heartbeats for cut off, whatever its articles cost.

/// A parser worker: takes raw articles within its credit, parses them, sends the record (or the failure)
/// to the sink and tells the fetcher which articles it finished.
final class ParserWorkerLoop: Sendable {
    private let config: ParserConfiguration
    private let context: RoleContext
    private var identity: RoleIdentity { context.identity }
    private var logger: Logger { context.logger }
    private var counters: RoleCounters { context.counters }
    private let parser: ArticleParser
    private let crashMarker: [UInt8]

    /// Loads the entity model before any article flows: a missing, truncated or foreign model file stops
    /// the worker at start with the reason (`parser.ner_model`).
    init(config: ParserConfiguration, context: RoleContext) throws {
        self.config = config
        self.context = context
        let limits = config.limits
        let model: NERModel
        do {
            model = try NERModel.load(setting: config.nerModelPath)
        } catch {
            context.logger.critical("entity model refused", metadata: ["error": "\(error)", "key": "parser.ner_model"])
            throw error
        }
        context.logger.info("entity model loaded", metadata: ["model.name": "\(model.name)", "model.hash": "\(model.hash)"])
        self.parser = ArticleParser(limits: ArticleParser.Limits(
            maxJSONDepth: limits.maxJSONDepth, maxEntities: limits.maxEntities,
            timeBudget: limits.parseBudgetMilliseconds > 0 ? .milliseconds(limits.parseBudgetMilliseconds) : nil),
            entityModel: model)
        self.crashMarker = Array(config.crashOnMarker.utf8)
    }

    /// Articles in a `raw` message: one, or a header and a payload frame each when batched.
    private static func articleCount(_ frames: [[UInt8]]) -> Int {
        max(1, (frames.count - 2) / 2)
    }

    /// What the parsing thread sends back: that it started, articles it handled (how many, and the seqs
    /// of those whose result reached the sink), its end, or why it could not go on.
    private enum Report {
        case started
        case handled(count: Int, done: [UInt64])
        case stopped
        case failed(String)

        var frames: [[UInt8]] {
            switch self {
            case .started: [Array("started".utf8)]
            case .handled(let count, let done):
                [Array("handled".utf8), Self.bytes([UInt64(count)]), Self.bytes(done)]
            case .stopped: [Array("stopped".utf8)]
            case .failed(let reason): [Array("failed".utf8), Array(reason.utf8)]
            }
        }

        init?(_ frames: [[UInt8]]) {
            switch frames.first.map({ String(decoding: $0, as: UTF8.self) }) {
            case "started"?: self = .started
            case "handled"? where frames.count == 3:
                self = .handled(count: Int(Self.numbers(frames[1]).first ?? 0), done: Self.numbers(frames[2]))
            case "stopped"?: self = .stopped
            case "failed"? where frames.count == 2: self = .failed(String(decoding: frames[1], as: UTF8.self))
            default: return nil
            }
        }

        private static func bytes(_ numbers: [UInt64]) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(numbers.count * 8)
            for number in numbers { withUnsafeBytes(of: number.littleEndian) { bytes.append(contentsOf: $0) } }
            return bytes
        }

        private static func numbers(_ bytes: [UInt8]) -> [UInt64] {
            stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { start in
                bytes[start..<(start + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            }
        }
    }

    private static let rawKind = Array("raw".utf8)
    private static let stopFrame = [Array("stop".utf8)]

    func run(stop: StopSignal) throws {
        let clock = ContinuousClock()
        let zmq = try Context()
        let routingID = Array("\(identity.instance)/\(identity.epoch)".utf8)
        let dispatch = try Socket(zmq, type: .dealer)
        try dispatch.setRoutingID(routingID)
        try dispatch.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
        try config.security.secureClient(dispatch, endpoint: config.endpoints.dispatch)
        let parsingEndpoint = "inproc://newsflow-parsing"
        let parsing = try Socket(zmq, type: .pair)
        try parsing.bind(parsingEndpoint)
        let thread = Thread { [self] in parseArticles(zmq, endpoint: parsingEndpoint, stop: stop) }
        thread.name = "parsing"
        thread.start()
        // The parsing thread says it is ready (its sink socket connected) or why it is not.
        let first = try parsing.poll(.readable, timeoutMilliseconds: 10_000).contains(.readable)
            ? try parsing.receive(dontWait: true).flatMap(Report.init) : nil
        if case .failed(let reason)? = first { throw ParserWorkerError(reason: reason) }
        guard case .started? = first else { throw ParserWorkerError(reason: "the parsing thread did not start within 10 s") }
        try dispatch.connect(config.endpoints.dispatch)
        RoleReadiness.markReady(counters)
        defer { RoleReadiness.markStopping(counters) }
        logger.info("parser worker started", metadata: [
            "endpoint.dispatch": "\(config.endpoints.dispatch)", "endpoint.results": "\(config.endpoints.results)",
            "worker.capacity": "\(config.capacity)",
        ])

        let poller = Poller()
        poller.register(dispatch, for: .readable)
        poller.register(parsing, for: .readable)
        var fetcherEpoch: String?
        var done: [UInt64] = []
        // Messages given to the parsing thread and not yet reported handled.
        var outstanding = 0
        try announce(dispatch, done: [])
        var nextAnnounce = clock.now + .milliseconds(config.heartbeatMilliseconds)
        var freedMemory = FreedMemory()
        while !context.shouldStop(stop) {
            let wait = max(0, min(100, Int((nextAnnounce - clock.now) / .milliseconds(1))))
            let ready = try poller.poll(timeoutMilliseconds: wait)
            if ready[0].contains(.readable) {
                while let frames = try dispatch.receive(dontWait: true) {
                    // Raw articles go to the parsing thread as they came (it decodes them); the rest here.
                    if frames.count > 1, frames[1] == Self.rawKind {
                        _ = try parsing.send(frames)
                        outstanding += Self.articleCount(frames)
                        continue
                    }
                    guard let message = context.protocolGuard.decode(frames[...], endpoint: "dispatch") else { continue }
                    if case .heartbeat(let beat) = message {
                        if beat.epoch != fetcherEpoch {
                            if fetcherEpoch != nil {
                                logger.info("fetcher restarted; announcing credit again", metadata: ["fetcher.epoch": "\(beat.epoch)"])
                            }
                            fetcherEpoch = beat.epoch
                            try announce(dispatch, done: [])
                        }
                    } else {
                        context.protocolGuard.rejectKind(message, endpoint: "dispatch")
                    }
                }
            }
            if ready[1].contains(.readable) {
                while let frames = try parsing.receive(dontWait: true) {
                    switch Report(frames) {
                    case .handled(let count, let finished)?:
                        outstanding -= count
                        done += finished
                    case .failed(let reason)?: throw ParserWorkerError(reason: reason)
                    default: break
                    }
                }
            }
            // Finished articles are announced a few at a time (each announcement is a message the
            // fetcher decodes): once half of what the worker holds is done, so the fetcher refills it
            // before it runs dry, and at once when nothing more is being parsed. The fetcher may hold back
            // a worker's credit for large articles, so "half" counts what is held, not the capacity. An
            // announcement is also the worker's heartbeat.
            if (!done.isEmpty && (outstanding <= 0 || done.count >= max(1, (outstanding + done.count) / 2)))
                || clock.now >= nextAnnounce
            {
                try announce(dispatch, done: done)
                done.removeAll(keepingCapacity: true)
                nextAnnounce = clock.now + .milliseconds(config.heartbeatMilliseconds)
                // A huge article's memory goes back to the system, not into the heap's free lists.
                freedMemory.releaseIfDue(now: clock.now)
            }
        }
        // Drain: what has already arrived is parsed, then the parsing thread ends.
        while let frames = try dispatch.receive(dontWait: true) {
            if frames.count > 1, frames[1] == Self.rawKind { _ = try parsing.send(frames) }
        }
        _ = try parsing.send(Self.stopFrame)
        while let frames = try parsing.receive() {
            guard let report = Report(frames) else { continue }
            if case .handled(_, let finished) = report { done += finished }
            if case .stopped = report { break }
            if case .failed = report { break }
        }
        if !done.isEmpty { try? announce(dispatch, done: done) }
        logger.info("parser worker stopped")
        dispatch.close()
        parsing.close()
    }

    /// The parsing thread: its own sink socket and its end of the pair; parses what comes until told to
    /// stop, sending each result to the sink and each finished seq back.
    private func parseArticles(_ zmq: Context, endpoint: String, stop: StopSignal) {
        let pair: Socket
        do {
            pair = try Socket(zmq, type: .pair)
            try pair.connect(endpoint)
        } catch {
            // Without its pair the thread cannot even say so: the worker must not stay up, heartbeating,
            // with nothing parsing its articles. Its supervisor starts a new one.
            logger.critical("parsing thread could not reach the worker loop; exiting", metadata: ["error": "\(error)"])
            exit(70)
        }
        defer { pair.close() }
        do {
            let results: Socket
            do {
                results = try Socket(zmq, type: .push)
                try results.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
                try config.security.secureClient(results, endpoint: config.endpoints.results)
                try results.setSendTimeout(milliseconds: 500)
                // Results queue only toward a sink that is connected; with none, sends wait (and so does
                // this worker's credit), instead of piling up in memory for a sink that may never come back.
                try results.setImmediate(true)
                try results.setSendHighWaterMark(Int32(clamping: max(16, config.capacity * 4)))
                try results.connect(config.endpoints.results)
            } catch {
                _ = try? pair.send(Report.failed("results socket: \(error)").frames)
                return
            }
            defer { results.close() }
            _ = try pair.send(Report.started.frames)
            // Waits for a message, then handles every one waiting (a few at a time) before reporting them.
            var next = try pair.receive()
            while let frames = next {
                if frames == Self.stopFrame {
                    _ = try pair.send(Report.stopped.frames)
                    return
                }
                var handled = 0
                var done: [UInt64] = []
                var results = ResultBurst(socket: results)
                var waiting: [[UInt8]]? = frames
                while let frames = waiting, frames != Self.stopFrame {
                    handled += Self.articleCount(frames)
                    let raws = rawArticles(frames)
                    for (number, raw) in raws.enumerated() {
                        counters.articles("received", stage: .receiving)
                        results.add(process(raw), seq: raw.seq)
                        if results.isDue(batch: raws.count, left: raws.count - number - 1) {
                            done += try results.send(self, stop: stop)
                        }
                    }
                    waiting = done.count < max(1, config.capacity / 2) ? try pair.receive(dontWait: true) : nil
                }
                _ = try pair.send(Report.handled(count: handled, done: done).frames)
                if let waiting { next = waiting } else { next = try pair.receive() }
            }
        } catch {
            // The loop thread stops the worker on this report.
            _ = try? pair.send(Report.failed("parsing thread: \(error)").frames)
        }
    }

    /// Parses one raw article into the message for the sink.
    func process(_ raw: RawArticle) -> WireMessage {
        if let reason = raw.deadLetterReason {
            counters.articles("failed", stage: .processing)
            return failure(raw, reason: reason)
        }
        if !crashMarker.isEmpty, raw.body.count >= crashMarker.count,
           raw.body.firstRange(of: crashMarker) != nil {
            logger.critical("fault injection: crashing on a marked article", metadata: ["article.id": "\(raw.id)"])
            kill(getpid(), SIGKILL)
        }
        if config.passthrough {
            // The plumbing alone: a record that only names the article.
            counters.articles("sent", stage: .processing)
            var record = JSONWriter(capacity: 128)
            record.beginObject()
            record.field("id", raw.id)
            record.field("seq", raw.seq)
            record.field("bytes", raw.body.count)
            record.endObject()
            return .parsed(ResultHeader(id: raw.id, seq: raw.seq, worker: identity.instance), record: record.bytes)
        }
        let started = ContinuousClock.now
        let result = parser.parse(raw, worker: identity.instance)
        counters.duration("parse", ContinuousClock.now - started)
        switch result {
        case .success(let article):
            let record = RecordEncoder.encode(article)
            // The record must fit one line of out/ and one message to the sink.
            let limit = min(config.limits.maxLineBytes, config.limits.maxMessageBytes - 4096)
            if record.count > limit {
                counters.articles("failed", stage: .processing)
                return failure(raw, reason: "its record is \(record.count) bytes, over limits.max_line_bytes or limits.max_message_bytes (\(limit) with the message's headers)")
            }
            counters.articles("sent", stage: .processing)
            return .parsed(ResultHeader(id: raw.id, seq: raw.seq, worker: identity.instance), record: record)
        case .failure(let failure):
            counters.articles("failed", stage: .processing)
            logger.info("article not parsed; sending it to dead-letter",
                        metadata: ["article.id": "\(raw.id)", "article.seq": "\(raw.seq)", "reason": "\(failure)"])
            return self.failure(raw, reason: failure.description)
        }
    }

    private func failure(_ raw: RawArticle, reason: String) -> WireMessage {
        .failure(
            FailureHeader(
                id: raw.id, seq: raw.seq, worker: identity.instance, attempt: raw.attempt, reason: reason,
                source: raw.source, fetchedAt: raw.fetchedAt, name: raw.name),
            raw: raw.body)
    }

    /// The raw articles of a message from the fetcher; none (counted and logged) for anything else.
    private func rawArticles(_ frames: [[UInt8]]) -> [RawArticle] {
        guard let message = context.protocolGuard.decode(frames[...], endpoint: "dispatch") else { return [] }
        switch message {
        case .raw(let raw): return [raw]
        case .rawBatch(let raws): return raws
        default:
            context.protocolGuard.rejectKind(message, endpoint: "dispatch")
            return []
        }
    }

    /// Sends to the sink, waiting while the sink is slow; gives up only when asked to stop.
    func deliver(_ frames: [[UInt8]], to results: Socket, stop: StopSignal) throws -> Bool {
        while true {
            if try results.send(frames) { return true }
            if context.shouldStop(stop) { return false }
            logger.debug("sink is not taking results; waiting")
        }
    }

    private func announce(_ dispatch: Socket, done: [UInt64]) throws {
        // Half its credit in one message: what the fetcher can send when the worker says half is done.
        let ready = Ready(
            worker: identity.instance, capacity: config.capacity, done: done, batch: max(1, config.capacity / 2))
        _ = try dispatch.send(WireCodec.encode(.ready(ready)), dontWait: true)
    }
}

/// Why a worker could not start.
struct ParserWorkerError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
