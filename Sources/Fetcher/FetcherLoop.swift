import Foundation
import Logging
import NewsModel
import RoleSupport
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

// Sockets of the fetcher, all bound here and owned by the loop's thread:
//   ingest   PULL   bind     <- producers PUSH `inject` (pyzmq clients, the stdin source over inproc)
//   submit   ROUTER bind    <-> producers DEALER: receives `inject`, answers `accepted` once journaled
//   dispatch ROUTER bind    <-> workers DEALER: sends `raw` and `heartbeat`, receives `ready`
//   acks     PULL   bind     <- sink PUSH `ack`

/// The fetcher's event loop: takes articles from its sources while the window has room, hands them to
/// workers with free credit, and forgets them only when the sink acknowledges them.
final class FetcherLoop {
    let config: FetcherConfiguration
    let context: RoleContext
    private var identity: RoleIdentity { context.identity }
    var logger: Logger { context.logger }
    var counters: RoleCounters { context.counters }

    var dispatcher: Dispatcher
    var sequence: SequenceAllocator
    private var inbox: InboxSource?
    private var stdin: StdinSource?
    /// Why the journal cannot be written (a full disk), while the fetcher waits for it: no input is
    /// taken, `submit` producers are told so, and the journal is tried again every 250 ms.
    private var journalPaused: String?
    private var nextJournalRetry = ContinuousClock.now
    var stdinReceived = 0
    var inboxExhausted = false
    private var knownWorkers: [[UInt8]: String] = [:]
    let journal: Journal
    private var recovered: [RawArticle] = []
    private var replay: ReplaySource?
    private var feeds: FeedSource?
    /// Feed articles journaled but not yet synced: their items are remembered once they are.
    var pendingFeedIDs: [String] = []
    /// Files whose articles are journaled but not yet synced: marked taken once they are.
    var pendingTaken: [InboxFile] = []
    /// Submitted articles journaled but not yet synced: their producers are told once they are.
    var pendingAccepts: [(producer: [UInt8], acceptance: Acceptance)] = []

    init(config: FetcherConfiguration, context: RoleContext) throws {
        self.config = config
        self.context = context
        self.dispatcher = Dispatcher(
            window: config.window, maxAttempts: config.maxAttempts,
            ackTimeout: .milliseconds(config.ackTimeoutMilliseconds),
            workerTimeout: .milliseconds(config.workerTimeoutMilliseconds),
            workerBytes: config.limits.maxMessageBytes)
        try config.layout.create()
        self.sequence = try SequenceAllocator(stateFolder: config.layout.state)
        self.journal = try Journal(folder: config.layout.journal, settings: config.journal, logger: context.logger)
        self.recovered = try journal.recover()
        if let settings = config.replay {
            self.replay = try ReplaySource(settings: settings, stateFolder: config.layout.state, logger: context.logger)
        }
        if let problem = config.feedsProblem { throw RoleError(.configuration, problem) }
        if let settings = config.feeds, !settings.feeds.isEmpty {
            let source = try FeedSource(settings: settings, stateFolder: config.layout.state, logger: context.logger)
            source.alreadyJournaled(recovered.filter { $0.source.kind == "feed" }.map(\.id))
            self.feeds = source
        }
        if config.inboxEnabled {
            self.inbox = try InboxSource(
                folder: config.layout.inbox, stateFolder: config.layout.state,
                settle: .milliseconds(config.inboxSettleMilliseconds), watch: config.inboxWatch, logger: context.logger)
        }
    }

    func run(stop: StopSignal) throws {
        let clock = ContinuousClock()
        let zmq = try Context()
        let security = config.security
        // With CURVE on, clients are authenticated from the first connection: the ZAP handler starts before
        // any socket binds. The stdin source is an in-process client with a key pair of its own.
        let stdinKeys = security.enabled && config.stdinEnabled ? try CurveKeyPair.generate() : nil
        let authenticator = try security.startAuthenticator(
            context: zmq, logger: logger, counters: counters, alsoAllowed: stdinKeys.map { [$0] } ?? [])
        defer { authenticator?.stop() }
        let maxMessage = Int64(config.limits.maxMessageBytes)
        let ingest = try Socket(zmq, type: .pull)
        try ingest.setMaxMessageSize(maxMessage)
        try ingest.setReceiveHighWaterMark(Int32(clamping: config.window))
        try security.secureServer(ingest, endpoint: config.endpoints.ingest)
        try ingest.bind(Endpoints.bindable(config.endpoints.ingest, bindAll: config.bindAll))
        let dispatch = try Socket(zmq, type: .router)
        try dispatch.setRouterMandatory(true)
        try dispatch.setMaxMessageSize(maxMessage)
        try security.secureServer(dispatch, endpoint: config.endpoints.dispatch)
        try dispatch.bind(Endpoints.bindable(config.endpoints.dispatch, bindAll: config.bindAll))
        let submit = try Socket(zmq, type: .router)
        try submit.setMaxMessageSize(maxMessage)
        try security.secureServer(submit, endpoint: config.endpoints.submit)
        try submit.bind(Endpoints.bindable(config.endpoints.submit, bindAll: config.bindAll))
        let acks = try Socket(zmq, type: .pull)
        try acks.setMaxMessageSize(maxMessage)
        try security.secureServer(acks, endpoint: config.endpoints.acks)
        try acks.bind(Endpoints.bindable(config.endpoints.acks, bindAll: config.bindAll))
        if config.stdinEnabled {
            let source = StdinSource(epoch: identity.epoch)
            try ingest.bind(source.endpoint)
            source.start(context: zmq, logger: logger, security: security, keys: stdinKeys)
            stdin = source
        }
        RoleReadiness.markReady(counters)
        defer { RoleReadiness.markStopping(counters) }
        logger.info("fetcher started", metadata: [
            "endpoint.ingest": "\(config.endpoints.ingest)", "endpoint.dispatch": "\(config.endpoints.dispatch)",
            "endpoint.acks": "\(config.endpoints.acks)", "fetcher.window": "\(config.window)",
        ])

        feeds?.start()
        defer { feeds?.stop() }
        for raw in recovered {
            dispatcher.admit(raw)
            counters.articles("recovered", stage: .receiving)
        }
        recovered = []

        let poller = Poller()
        poller.register(dispatch, for: .readable)
        poller.register(acks, for: .readable)
        poller.register(ingest, for: .readable)
        poller.register(submit, for: .readable)
        let watched = inbox?.notificationDescriptor
        if let watched { poller.register(fileDescriptor: watched, for: .readable) }
        var nextScan = clock.now
        var nextHeartbeat = clock.now
        var nextExpiry = clock.now
        var nextStatus = clock.now
        var freedMemory = FreedMemory()
        var drainDeadline: ContinuousClock.Instant? = nil

        while true {
            if drainDeadline == nil, context.shouldStop(stop) {
                drainDeadline = clock.now + .milliseconds(config.drainTimeoutMilliseconds)
                feeds?.quiesce()
                logger.info("draining: sources stopped, waiting for outstanding articles",
                            metadata: ["articles.outstanding": "\(dispatcher.outstanding)"])
            }
            let draining = drainDeadline != nil
            let accepting: PollEvents = !draining && journalPaused == nil && dispatcher.room > 0 ? .readable : []
            poller.update(2, events: accepting)
            // While the journal is paused, submissions are read to be refused, not left unanswered.
            poller.update(3, events: !draining && journalPaused != nil ? .readable : accepting)
            // Wakes up for a group sync that a producer, a file or a feed waits on.
            let syncIn = awaitingSync ? journal.groupSyncDue.map { Self.milliseconds(until: $0, from: clock.now) } : nil
            let ready = try poller.poll(timeoutMilliseconds: min(20, syncIn ?? 20))
            let now = clock.now
            if ready[1].contains(.readable) { try receiveAcks(acks) }
            if ready[0].contains(.readable) { try receiveFromWorkers(dispatch, now: now) }
            if !draining, ready[2].contains(.readable) { try receiveInjected(ingest) }
            if !draining, ready[3].contains(.readable) {
                if let reason = journalPaused { refuseSubmitted(submit, reason: reason) } else { try receiveSubmitted(submit) }
            }
            // A file closed or renamed into the drop folder: look now, not at the next scan.
            if watched != nil, ready[4].contains(.readable), inbox?.readNotifications() == true { nextScan = now }
            if !draining, journalPaused == nil, let inbox, now >= nextScan, dispatcher.room > 0 {
                // A scan that filled the window may have left files behind: look again as soon as there
                // is room, instead of waiting a whole scan interval.
                let more = try takeFiles(from: inbox)
                nextScan = more ? now : now + .milliseconds(config.inboxScanMilliseconds)
            }
            // Feed articles already fetched are journaled even while draining: their pages are not fetched
            // again after a restart.
            if let feeds, journalPaused == nil, dispatcher.room > 0 { try takeFeedArticles(from: feeds) }
            // Under `interval` and `never`, articles written to the kernel survive a killed fetcher: they go
            // to workers before the sync that producers wait for, so the sync overlaps their parsing.
            // Under `always` nothing is dispatched before it is synced.
            if config.journal.sync != .always {
                _ = try commitJournal(now: now, syncWaiting: false)
                try sendAssignments(dispatch, now: now)
            }
            if try commitJournal(now: now) {
                for file in pendingTaken { inbox?.taken(file) }
                pendingTaken.removeAll()
                feeds?.journaled(pendingFeedIDs)
                pendingFeedIDs.removeAll()
                try sendAcceptances(submit)
            }
            if !draining, journalPaused == nil, let replay, dispatcher.room > 0 { try takeReplayed(from: replay, now: now) }
            replay?.tick(now: now, outstandingCount: dispatcher.outstanding)
            try sendAssignments(dispatch, now: now)
            if now >= nextHeartbeat {
                try sendHeartbeats(dispatch)
                nextHeartbeat = now + .milliseconds(config.heartbeatMilliseconds)
            }
            if now >= nextStatus {
                nextStatus = now + .seconds(1)
                writeStatus()
                freedMemory.releaseIfDue(now: now)
            }
            let expired = now >= nextExpiry ? dispatcher.expire(now: now) : []
            if now >= nextExpiry { nextExpiry = now + .milliseconds(100) }
            for worker in expired {
                logger.warning("worker stopped answering; its articles will be redelivered",
                               metadata: ["worker.id": "\(knownWorkers[worker] ?? "?")"])
                knownWorkers[worker] = nil
            }
            if let drainDeadline {
                if dispatcher.outstanding == 0 {
                    logger.info("drained: every article acknowledged")
                    break
                }
                if now >= drainDeadline {
                    logger.warning("drain timeout: leaving articles unacknowledged",
                                   metadata: ["articles.outstanding": "\(dispatcher.outstanding)"])
                    break
                }
            } else if config.exitWhenDrained, sourcesExhausted, dispatcher.outstanding == 0 {
                logger.info("sources exhausted and every article acknowledged: exiting")
                break
            }
        }
        if try !commitJournal(now: clock.now), let reason = journalPaused {
            logger.warning("stopping with articles the journal could not take; their sources give them again (inbox files, feeds, submit producers)",
                           metadata: ["error": "\(reason)"])
        }
        replay?.save()
        ingest.close()
        submit.close()
        dispatch.close()
        acks.close()
    }

    /// Whether a producer, an inbox file or a feed waits for the journal's next sync.
    private var awaitingSync: Bool { !pendingAccepts.isEmpty || !pendingTaken.isEmpty || !pendingFeedIDs.isEmpty }

    /// Whole milliseconds from `now` until `instant`, rounded up, 0 when it has passed.
    private static func milliseconds(until instant: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int {
        max(0, Int(((instant - now) / .milliseconds(1)).rounded(.up)))
    }

    /// Commits the journal; a write that fails (a full disk) pauses the fetcher instead of stopping it.
    /// With `syncWaiting` (the default), what a producer, a file or a feed waits on is synced when due.
    /// Returns whether everything appended is now as durable as the policy promises.
    private func commitJournal(now: ContinuousClock.Instant, syncWaiting: Bool = true) throws -> Bool {
        guard journalPaused == nil || now >= nextJournalRetry else { return false }
        do {
            let waiting = syncWaiting && awaitingSync
            let committed = try journal.commit(now: now, waiting: waiting)
            if journalPaused != nil {
                logger.notice("the journal is writable again; taking input again")
                journalPaused = nil
                RoleReadiness.resume(counters)
                writeStatus()
            }
            return committed
        } catch let error as RoleError where error.code == .storage {
            if journalPaused == nil {
                logger.error("cannot write the journal; pausing: no input is taken until it can write again",
                             metadata: ["error": "\(error)"])
                RoleReadiness.pause(counters, reason: "the fetcher cannot write its journal: \(error)")
            }
            journalPaused = "\(error)"
            nextJournalRetry = now + .milliseconds(250)
            writeStatus()
            return false
        }
    }

    /// `run/status-<instance>.json` for the supervisor's `/readyz` and `/status`.
    private func writeStatus() {
        let writable = access(config.layout.journal.path, W_OK) == 0 && journalPaused == nil
        let lag = dispatcher.oldestOutstandingAge(now: ContinuousClock.now)
        counters.gauge("in_flight", Double(dispatcher.outstanding))
        counters.gauge("queue_depth", Double(dispatcher.queued))
        counters.gauge("journal_bytes", Double(journal.bytes))
        counters.gauge("lag_seconds", lag)
        counters.gauge("workers_connected", Double(dispatcher.workers.count))
        counters.diskSpace(of: config.layout.journal, named: "journal")
        StatusFile.write([
            "workers": dispatcher.workers.count, "outstanding": dispatcher.outstanding, "queued": dispatcher.queued,
            "journal_bytes": journal.bytes, "journal_writable": writable, "journal_reason": journalPaused ?? "",
            "oldest_unacknowledged_s": lag,
        ], instance: identity.instance, layout: config.layout)
    }

    private var sourcesExhausted: Bool {
        let inboxDone = inbox == nil || (inboxExhausted && inbox?.isIdle == true)
        let stdinDone = stdin.map { $0.isFinished && stdinReceived >= $0.sentCount } ?? true
        let replayDone = replay?.isExhausted ?? true
        let feedsDone = feeds.map { $0.isIdle && pendingFeedIDs.isEmpty } ?? true
        return inboxDone && stdinDone && replayDone && feedsDone
    }

    private func receiveAcks(_ socket: Socket) throws {
        while let frames = try socket.receive(dontWait: true) {
            guard let message = context.protocolGuard.decode(frames[...], endpoint: "acks") else { continue }
            guard case .ack(let acknowledgements) = message else {
                context.protocolGuard.rejectKind(message, endpoint: "acks")
                continue
            }
            for ack in acknowledgements {
                // An acknowledgement that waited at the sink across a restart of this fetcher names the
                // article by sequence number and id: both must match what is outstanding.
                guard dispatcher.acknowledge(ack.seq, id: ack.id) != nil else { continue }
                journal.acknowledged(ack.seq)
                replay?.acknowledged(seq: ack.seq)
                counters.articles(ack.outcome == .deadLetter ? "failed" : "acknowledged", stage: .sending)
            }
        }
    }

    private func receiveFromWorkers(_ socket: Socket, now: ContinuousClock.Instant) throws {
        while let frames = try socket.receive(dontWait: true) {
            guard frames.count >= 2 else { continue }
            let worker = frames[0]
            guard let message = context.protocolGuard.decode(frames[1...], endpoint: "dispatch") else { continue }
            switch message {
            case .ready(let ready):
                if knownWorkers[worker] == nil {
                    knownWorkers[worker] = ready.worker
                    logger.info("worker joined", metadata: ["worker.id": "\(ready.worker)",
                                                            "worker.capacity": "\(ready.capacity)"])
                }
                dispatcher.ready(worker: worker, capacity: ready.capacity, done: ready.done, batch: ready.batch ?? 1,
                                 now: now)
            case .heartbeat:
                _ = dispatcher.heartbeat(worker: worker, now: now)
            default:
                context.protocolGuard.rejectKind(message, endpoint: "dispatch")
            }
        }
    }

    /// Sends what workers have credit for, several articles to a message for a worker that announced a
    /// `batch` (see ``Dispatcher/nextMessages(now:maxBytes:)``).
    private func sendAssignments(_ socket: Socket, now: ContinuousClock.Instant) throws {
        for (worker, raws) in dispatcher.nextMessages(now: now, maxBytes: config.limits.maxMessageBytes / 2) {
            // A worker dropped for an earlier message already had its articles queued again.
            guard dispatcher.workers[worker] != nil else { continue }
            let message: WireMessage = raws.count == 1 ? .raw(raws[0]) : .rawBatch(raws)
            switch try sendToWorker(socket, worker, WireCodec.encode(message)) {
            case .sent:
                for raw in raws { counters.articles(raw.attempt > 1 ? "redelivered" : "sent", stage: .sending) }
            case .full:
                dispatcher.dropWorker(worker, reason: "worker queue full")
            case .gone:
                workerGone(worker)
            }
        }
    }

    private enum SendOutcome { case sent, full, gone }

    /// Sends to one worker through the ROUTER; an unknown or vanished routing id is `gone`, not an error.
    private func sendToWorker(_ socket: Socket, _ worker: [UInt8], _ frames: [[UInt8]]) throws(ZeroMQError)
        -> SendOutcome
    {
        do {
            return try socket.send([worker] + frames, dontWait: true) ? .sent : .full
        } catch {
            if error.code == EHOSTUNREACH { return .gone }
            throw error
        }
    }

    private func sendHeartbeats(_ socket: Socket) throws {
        let beat = WireCodec.encode(
            .heartbeat(Heartbeat(role: identity.role, instance: identity.instance, epoch: identity.epoch,
                                 inFlight: dispatcher.outstanding)))
        for worker in dispatcher.workers.keys where try sendToWorker(socket, worker, beat) == .gone {
            workerGone(worker)
        }
    }

    /// A worker whose connection closed (it exited): what it held is redelivered.
    private func workerGone(_ worker: [UInt8]) {
        logger.warning("worker is gone (its connection closed); its articles will be redelivered",
                       metadata: ["worker.id": "\(knownWorkers[worker] ?? "?")",
                                  "articles.held": "\(dispatcher.workers[worker]?.assigned.count ?? 0)"])
        knownWorkers[worker] = nil
        dispatcher.dropWorker(worker, reason: "worker disconnected")
    }
}
