import Foundation
import Logging
import NewsModel
import RoleSupport
import ZeroMQ

// Sockets of the sink, owned by the loop's thread:
//   results PULL bind     <- workers PUSH `parsed`, `failure`
//   acks    PUSH connect  -> fetcher PULL `ack`, sent only after the lines are synced to disk

/// The sink: writes each new record once to `out/`, each failure to `dead-letter/`, syncs in batches and
/// acknowledges a batch only after it is on disk.
final class SinkLoop {
    private let config: SinkConfiguration
    private let context: RoleContext
    private var logger: Logger { context.logger }
    private var counters: RoleCounters { context.counters }

    private var seen: SeenIDs
    /// Near-duplicate stories (`duplicate_of`); nil when `sink.duplicates.enabled` is off.
    private var duplicates: NearDuplicates?
    private var seenDead: SeenIDs
    private let out: RotatingFile
    private let deadLetters: RotatingFile
    /// Compresses closed files off the loop (nil when `sink.compress` is off).
    private let compressor: BackgroundCompressor?
    private var pending: [Ack] = []
    /// New records since the last sync, written just before it in the fetcher's order (by sequence
    /// number): the copies of a story that workers finish in either order then link the same way in a run
    /// and in its replay.
    private var arrived: [(seq: UInt64, id: String, record: [UInt8], idAt: Range<Int>)] = []
    /// When the last sync started: the next waits until `sink.fsync_ms` after it.
    private var lastSync: ContinuousClock.Instant?
    /// Acknowledgements of synced lines that no fetcher took yet (none connected: the sink started
    /// first, or the fetcher is restarting). They wait, oldest first, and go as soon as one connects.
    private var unsent: [Ack] = []
    /// Why output cannot be written (a full disk), while the sink waits for it to be writable again: it
    /// stays up, says so on /readyz, takes nothing more from the workers and acknowledges nothing, and
    /// tries again every ``pauseRetry``.
    private var paused: String?
    private var pausedSince: ContinuousClock.Instant?
    static let pauseRetry = Duration.milliseconds(250)
    /// While lines wait for a sync, the longest results wait at the socket unread, in milliseconds.
    static let readSpacing = 5
    /// At most this many wait (about 60 bytes each); beyond it the oldest are given up, and the fetcher
    /// redelivers those articles after `fetcher.ack_timeout_ms` (the sink drops the copies).
    static let maxUnsentAcks = 100_000

    init(config: SinkConfiguration, context: RoleContext) throws {
        self.config = config
        self.context = context
        let logger = context.logger
        try config.layout.create()
        try SegmentCompressor.tidy(folder: config.layout.out, compress: config.compress, logger: logger)
        try SegmentCompressor.tidy(folder: config.layout.deadLetter, compress: config.compress, logger: logger)
        var backlog = config.duplicates.map(NearDuplicates.Backlog.init(settings:))
        let started = ContinuousClock.now
        self.seen = try SeenIDs(folder: config.layout.out, remember: config.rememberIDs,
                                maxLineBytes: config.limits.maxLineBytes, logger: logger,
                                wantsMore: { backlog?.wantsMore ?? false }) { line, id, idRange, file in
            backlog?.append(line, id: id, idAt: idRange, file: file)
        }
        self.seenDead = try SeenIDs(folder: config.layout.deadLetter, remember: config.rememberIDs, logger: logger)
        if let settings = config.duplicates, let backlog {
            let index = backlog.indexed(settings)
            logger.info("near-duplicate index rebuilt from out/", metadata: [
                "records": "\(index.count)", "seconds": "\(Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000)",
            ])
            self.duplicates = index
        }
        let instance = context.identity.instance
        let maxAge = Duration.seconds(config.rotateSeconds)
        let compressor = config.compress ? BackgroundCompressor() : nil
        self.compressor = compressor
        self.out = RotatingFile(folder: config.layout.out, prefix: "part", instance: instance,
                                maxBytes: config.rotateBytes, maxAge: maxAge, syncs: config.fsync,
                                compressor: compressor)
        self.deadLetters = RotatingFile(folder: config.layout.deadLetter, prefix: "dead", instance: instance,
                                        maxBytes: config.rotateBytes, maxAge: maxAge, syncs: config.fsync,
                                        compressor: compressor)
    }

    func run(stop: StopSignal) throws {
        let clock = ContinuousClock()
        let zmq = try Context()
        let authenticator = try config.security.startAuthenticator(context: zmq, logger: logger, counters: counters)
        defer { authenticator?.stop() }
        let results = try Socket(zmq, type: .pull)
        try results.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
        try config.security.secureServer(results, endpoint: config.endpoints.results)
        try results.bind(Endpoints.bindable(config.endpoints.results, bindAll: config.bindAll))
        let acks = try Socket(zmq, type: .push)
        // Acknowledgements go only to a connected fetcher; queued for a dead one they would be stale.
        try acks.setImmediate(true)
        try acks.setSendHighWaterMark(10_000)
        try acks.setMaxMessageSize(Int64(config.limits.maxMessageBytes))
        try config.security.secureClient(acks, endpoint: config.endpoints.acks)
        try acks.connect(config.endpoints.acks)
        RoleReadiness.markReady(counters)
        defer { RoleReadiness.markStopping(counters) }
        logger.info("sink started", metadata: [
            "endpoint.results": "\(config.endpoints.results)", "endpoint.acks": "\(config.endpoints.acks)",
            "sink.known_ids": "\(seen.count)", "sink.file": "\(out.url.lastPathComponent)",
        ])
        // Group commit: lines are synced as soon as they are written, unless the last sync started less
        // than `sink.fsync_ms` ago; then they wait for that moment. An idle sink answers in about one
        // fsync; a busy one syncs at most every fsync_ms, in batches that grow with the load.
        let spacing = Duration.milliseconds(config.fsyncMilliseconds)
        var nextDiskCheck = clock.now
        var freedMemory = FreedMemory()
        let poller = Poller()
        poller.register(results, for: .readable)
        poller.register(acks, for: .writable)
        while !context.shouldStop(stop) {
            let now = clock.now
            let gap = paused == nil ? spacing : Self.pauseRetry
            let due = lastSync.map { $0 + gap } ?? now
            let wait = pending.isEmpty ? 100 : max(0, Int(((due - now) / .milliseconds(1)).rounded(.up)))
            // Paused on a full disk: results wait at the workers (backpressure) rather than here. While
            // lines wait for a sync that is not due yet, results wait at the socket too, and are taken
            // all at once just before it, or every ``readSpacing`` when syncs are further apart (so
            // `sink.fsync_every` still cuts a batch short): the sink wakes once per sync rather than once
            // per message (on a loaded machine each wake-up is a switch of context that the workers pay
            // for). A line waits for that sync anyway; what it now waits for too is the sink's work on
            // the batch, a fraction of a millisecond.
            let syncScheduled = paused == nil && !pending.isEmpty && wait > 0
            poller.update(0, events: paused == nil && !syncScheduled ? .readable : [])
            // The acknowledgement socket is writable once a fetcher is connected: watched only while
            // acknowledgements wait for one.
            poller.update(1, events: unsent.isEmpty ? [] : .writable)
            let timeout = syncScheduled ? min(wait, Self.readSpacing) : max(0, wait)
            let events = try poller.poll(timeoutMilliseconds: timeout)
            // After waiting for the sync, what came meanwhile joins it.
            if events[0].contains(.readable) || syncScheduled {
                try receive(results, acks: acks, clock: clock)
            }
            if !pending.isEmpty, lastSync.map({ clock.now >= $0 + gap }) ?? true {
                try flush(acks)
            }
            if events[1].contains(.writable) { try sendUnsent(acks) }
            if clock.now >= nextDiskCheck {
                nextDiskCheck = clock.now + .seconds(1)
                freedMemory.releaseIfDue(now: clock.now)
                counters.diskSpace(of: config.layout.out, named: "out")
                counters.diskSpace(of: config.layout.deadLetter, named: "dead-letter")
                writeStatus()
            }
        }
        // Drain: take whatever the workers already delivered, sync it and acknowledge it.
        try receive(results, acks: acks, clock: clock)
        try flush(acks)
        if !unsent.isEmpty {
            logger.warning("stopping with acknowledgements no fetcher took; it will redeliver those articles and the sink will drop the copies",
                           metadata: ["acks.unsent": "\(unsent.count)"])
        }
        if let compressor, compressor.backlog > 0 {
            logger.info("finishing the compression of closed files before stopping", metadata: ["files": "\(compressor.backlog)"])
        }
        compressor?.finish()
        logger.info("sink stopped")
        results.close()
        acks.close()
    }

    /// What the supervisor's /readyz reads: whether output can be written, and if not why.
    private func writeStatus() {
        StatusFile.write(["writable": paused == nil, "reason": paused ?? ""], instance: context.identity.instance, layout: config.layout)
    }

    private func receive(_ results: Socket, acks: Socket, clock: ContinuousClock) throws {
        while paused == nil, let frames = try results.receive(dontWait: true) {
            guard let message = context.protocolGuard.decode(frames[...], endpoint: "results") else { continue }
            switch message {
            case .parsed(let header, let record):
                counters.articles("received", stage: .receiving)
                // A peer could send anything: only a one-line JSON object with the announced id is written.
                guard record.first == UInt8(ascii: "{"), record.last == UInt8(ascii: "}"),
                      !Self.holdsNewline(record), let idAt = RecordLine.idRange(in: record[...]),
                      record[idAt].elementsEqual(header.id.utf8)
                else {
                    counters.rejected("bad_record")
                    logger.warning("rejected a record that is not one JSON object with its id",
                                   metadata: ["article.id": "\(header.id)", "record.bytes": "\(record.count)"])
                    continue
                }
                guard record.count <= config.limits.maxLineBytes else {
                    // Workers dead-letter such records themselves; this one came from elsewhere.
                    counters.rejected("oversized_record")
                    logger.warning("rejected a record longer than limits.max_line_bytes",
                                   metadata: ["article.id": "\(header.id)", "record.bytes": "\(record.count)"])
                    continue
                }
                if seen.insert(header.id) {
                    arrived.append((header.seq, header.id, record, idAt))
                    pending.append(Ack(seq: header.seq, id: header.id, outcome: .written))
                } else {
                    counters.articles("dropped", stage: .processing)
                    pending.append(Ack(seq: header.seq, id: header.id, outcome: .duplicate))
                }
            case .failure(let header, let raw):
                counters.articles("received", stage: .receiving)
                if seenDead.insert(header.id) {
                    deadLetters.append(try RecordEncoder.encode(DeadLetter(header, raw: raw)))
                    logger.info("dead-lettered an article",
                                metadata: ["article.id": "\(header.id)", "reason": "\(header.reason)"])
                }
                pending.append(Ack(seq: header.seq, id: header.id, outcome: .deadLetter))
            default:
                context.protocolGuard.rejectKind(message, endpoint: "results")
                continue
            }
            if pending.count >= config.fsyncEvery { try flush(acks) }
        }
    }

    /// Whether a record holds a line break (read with memchr: records are kilobytes, and a byte-by-byte
    /// look took a tenth of the sink's time).
    private static func holdsNewline(_ record: [UInt8]) -> Bool {
        record.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return false }
            return memchr(base, 0x0A, bytes.count) != nil
        }
    }

    /// The record with `duplicate_of` when an earlier one tells the same story.
    private func markingDuplicate(_ record: [UInt8], id: String, idAt: Range<Int>) -> [UInt8] {
        guard let (line, root) = duplicates?.mark(record, id: id, idAt: idAt, maxBytes: config.limits.maxLineBytes),
              let root else { return record }
        counters.nearDuplicate()
        logger.debug("near-duplicate of an earlier record", metadata: ["article.id": "\(id)", "duplicate_of": "\(root)"])
        return line
    }

    /// Syncs written lines, then acknowledges them. A failed write is fatal for this process (the
    /// supervisor restarts it); nothing unsynced was acknowledged, so the fetcher redelivers it.
    private func flush(_ acks: Socket) throws {
        guard !pending.isEmpty else { return }
        arrived.sort { $0.seq < $1.seq }
        for (_, id, record, idAt) in arrived { out.append(markingDuplicate(record, id: id, idAt: idAt)) }
        arrived.removeAll(keepingCapacity: true)
        let started = ContinuousClock.now
        lastSync = started
        do {
            try out.sync()
            try deadLetters.sync()
            counters.duration("sink_sync", ContinuousClock.now - started)
        } catch {
            // Nothing was acknowledged, and the files were cut back to their last sync: wait and retry.
            if paused == nil {
                logger.error("cannot write output; pausing: no result is taken and nothing acknowledged until it can write again",
                             metadata: ["error": "\(error)", "articles.unacknowledged": "\(pending.count)"])
                pausedSince = started
                RoleReadiness.pause(counters, reason: "the sink cannot write its output: \(error)")
            }
            paused = "\(error)"
            writeStatus()
            return
        }
        if let since = pausedSince {
            logger.notice("output is writable again; resuming",
                          metadata: ["paused.seconds": "\(Double((ContinuousClock.now - since).components.seconds))"])
            paused = nil
            pausedSince = nil
            RoleReadiness.resume(counters)
            writeStatus()
        }
        for failure in compressor?.takeFailures() ?? [] {
            logger.warning("a closed output file could not be compressed; it stays as it is and the next start compresses it",
                           metadata: ["error": "\(failure)"])
        }
        let written = pending.filter { $0.outcome == .written }.count
        counters.articles("sent", stage: .sending, count: written)
        unsent.append(contentsOf: pending)
        pending.removeAll(keepingCapacity: true)
        try sendUnsent(acks)
    }

    /// Sends the waiting acknowledgements, in messages of at most `sink.fsync_every`, while a fetcher
    /// takes them; what it does not take waits (bounded by ``maxUnsentAcks``).
    private func sendUnsent(_ acks: Socket) throws {
        var sent = 0
        while sent < unsent.count {
            let batch = Array(unsent[sent..<min(unsent.count, sent + max(1, config.fsyncEvery))])
            guard try acks.send(WireCodec.encode(.ack(batch)), dontWait: true) else { break }
            sent += batch.count
        }
        unsent.removeFirst(sent)
        if unsent.count > Self.maxUnsentAcks {
            let dropped = unsent.count - Self.maxUnsentAcks
            unsent.removeFirst(dropped)
            logger.warning("no fetcher took acknowledgements for too long; the oldest are given up, and the fetcher will redeliver those articles (the sink drops the copies)",
                           metadata: ["acks.given_up": "\(dropped)"])
        }
    }
}
