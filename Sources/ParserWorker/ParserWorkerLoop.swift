import ArticleParsing
import Foundation
import Logging
import NewsModel
import RoleSupport
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

// Sockets of a parser worker, both connected, owned by the loop's thread:
//   dispatch DEALER connect <-> fetcher ROUTER: receives `raw` and `heartbeat`, sends `ready`
//   results  PUSH   connect  -> sink PULL: sends `parsed` and `failure`

/// A parser worker: takes raw articles within its credit, parses them, sends the record (or the failure)
/// to the sink and tells the fetcher which articles it finished.
final class ParserWorkerLoop {
    private let config: ParserConfiguration
    private let context: RoleContext
    private var identity: RoleIdentity { context.identity }
    private var logger: Logger { context.logger }
    private var counters: RoleCounters { context.counters }
    private let parser: ArticleParser
    private var fetcherEpoch: String?
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

    func run(stop: StopSignal) throws {
        let clock = ContinuousClock()
        let zmq = try Context()
        let routingID = Array("\(identity.instance)/\(identity.epoch)".utf8)
        let dispatch = try Socket(zmq, type: .dealer)
        try dispatch.setRoutingID(routingID)
        try dispatch.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
        try config.security.secureClient(dispatch, endpoint: config.endpoints.dispatch)
        try dispatch.connect(config.endpoints.dispatch)
        let results = try Socket(zmq, type: .push)
        try results.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
        try config.security.secureClient(results, endpoint: config.endpoints.results)
        try results.setSendTimeout(milliseconds: 500)
        // Results queue only toward a sink that is connected; with none, sends wait (and so does this
        // worker's credit), instead of piling up in memory for a sink that may never come back.
        try results.setImmediate(true)
        try results.setSendHighWaterMark(Int32(clamping: max(16, config.capacity * 4)))
        try results.connect(config.endpoints.results)
        RoleReadiness.markReady(counters)
        defer { RoleReadiness.markStopping(counters) }
        logger.info("parser worker started", metadata: [
            "endpoint.dispatch": "\(config.endpoints.dispatch)", "endpoint.results": "\(config.endpoints.results)",
            "worker.capacity": "\(config.capacity)",
        ])

        try announce(dispatch, done: [])
        var nextAnnounce = clock.now + .milliseconds(config.heartbeatMilliseconds)
        while !context.shouldStop(stop) {
            if try dispatch.poll(.readable, timeoutMilliseconds: 100).contains(.readable) {
                try receive(dispatch, results: results, stop: stop)
            }
            if clock.now >= nextAnnounce {
                try announce(dispatch, done: [])
                nextAnnounce = clock.now + .milliseconds(config.heartbeatMilliseconds)
            }
        }
        // Drain: finish what has already arrived, then go.
        try receive(dispatch, results: results, stop: nil)
        logger.info("parser worker stopped")
        dispatch.close()
        results.close()
    }

    private func receive(_ dispatch: Socket, results: Socket, stop: StopSignal?) throws {
        // Finished articles are announced a few at a time (each announcement is a message the fetcher
        // decodes), and at once when nothing more is waiting, so credit never sits unannounced.
        var done: [UInt64] = []
        defer { if !done.isEmpty { try? announce(dispatch, done: done) } }
        while let frames = try dispatch.receive(dontWait: true) {
            guard let message = context.protocolGuard.decode(frames[...], endpoint: "dispatch") else { continue }
            switch message {
            case .raw(let raw):
                counters.articles("received", stage: .receiving)
                let reply = process(raw)
                guard try deliver(reply, to: results, stop: stop) else { return }
                done.append(raw.seq)
                if done.count >= max(1, config.capacity / 2) {
                    try announce(dispatch, done: done)
                    done.removeAll()
                }
            case .heartbeat(let beat):
                if beat.epoch != fetcherEpoch {
                    if fetcherEpoch != nil {
                        logger.info("fetcher restarted; announcing credit again", metadata: ["fetcher.epoch": "\(beat.epoch)"])
                    }
                    fetcherEpoch = beat.epoch
                    try announce(dispatch, done: [])
                }
            default:
                context.protocolGuard.rejectKind(message, endpoint: "dispatch")
            }
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

    /// Sends to the sink, waiting while the sink is slow; gives up only when asked to stop.
    private func deliver(_ message: WireMessage, to results: Socket, stop: StopSignal?) throws -> Bool {
        let frames = WireCodec.encode(message)
        while true {
            if try results.send(frames) { return true }
            if let stop, context.shouldStop(stop) { return false }
            logger.debug("sink is not taking results; waiting")
        }
    }

    private func announce(_ dispatch: Socket, done: [UInt64]) throws {
        let ready = Ready(worker: identity.instance, capacity: config.capacity, done: done)
        _ = try dispatch.send(WireCodec.encode(.ready(ready)), dontWait: true)
    }
}
