import NewsModel

/// The fetcher's bookkeeping, free of I/O: which articles are outstanding, which worker holds which, who
/// has credit, and what must be redelivered. Time is passed in, so tests drive it with any clock.
struct Dispatcher {
    struct Entry {
        var raw: RawArticle
        /// The worker holding it, while it is at a worker.
        var worker: [UInt8]?
        /// When it was last dispatched; `nil` while queued.
        var sentAt: ContinuousClock.Instant?
        /// Why it was last redelivered.
        var lastFailure: String?
        /// It was at a worker that was lost while holding other articles too: it may be what killed the
        /// worker, or it may have gone down with the one that did. It is sent alone from then on, so a
        /// worker that dies with it again dies for it alone, and the articles that shared a batch with a
        /// poisonous one are not charged attempt after attempt for its crashes.
        var suspect = false
    }

    struct Worker {
        var capacity: Int
        var assigned: Set<UInt64> = []
        /// Raw bytes of the articles it holds.
        var bytes = 0
        /// Most articles it takes in one message (its `ready`'s `batch`).
        var batch = 1
        var lastSeen: ContinuousClock.Instant
        /// The suspect article it holds: it is sent nothing else until that one is done.
        var isolating: UInt64?
        var free: Int { capacity - assigned.count }

        /// Forgets `isolating` once the suspect is no longer held.
        mutating func checkIsolation() {
            if let held = isolating, !assigned.contains(held) { isolating = nil }
        }
    }

    let window: Int
    let maxAttempts: Int
    let ackTimeout: Duration
    let workerTimeout: Duration
    /// Most raw bytes a worker holds at once, whatever its credit: a worker that announces a large
    /// capacity (to keep busy on small articles) is not sent that many of the largest. A worker that holds
    /// nothing always takes the next article.
    let workerBytes: Int

    private(set) var entries: [UInt64: Entry] = [:]
    private(set) var workers: [[UInt8]: Worker] = [:]
    /// Where a worker is in ``workers``, valid until a worker comes or goes.
    private typealias WorkerIndex = Dictionary<[UInt8], Worker>.Index
    private var queue: [UInt64] = []
    private var queueHead = 0
    private(set) var redelivered = 0

    init(window: Int, maxAttempts: Int, ackTimeout: Duration, workerTimeout: Duration, workerBytes: Int = .max) {
        self.window = window
        self.maxAttempts = maxAttempts
        self.ackTimeout = ackTimeout
        self.workerTimeout = workerTimeout
        self.workerBytes = workerBytes
    }

    /// Articles admitted and not yet acknowledged.
    var outstanding: Int { entries.count }
    /// Room left in the window.
    var room: Int { max(0, window - entries.count) }
    /// Articles waiting for a worker.
    var queued: Int { queue.count - queueHead }

    /// Seconds since the oldest outstanding article was dispatched (0 when none is out).
    func oldestOutstandingAge(now: ContinuousClock.Instant) -> Double {
        var oldest: ContinuousClock.Instant? = nil
        for entry in entries.values {
            if let sentAt = entry.sentAt, oldest.map({ sentAt < $0 }) ?? true { oldest = sentAt }
        }
        guard let oldest else { return 0 }
        let age = now - oldest
        return Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18
    }

    /// Takes a new article in; the caller checks ``room`` first.
    mutating func admit(_ raw: RawArticle) {
        entries[raw.seq] = Entry(raw: raw)
        queue.append(raw.seq)
    }

    /// A worker announced its capacity and the articles it finished.
    mutating func ready(worker: [UInt8], capacity: Int, done: [UInt64], batch: Int = 1, now: ContinuousClock.Instant) {
        // The worker and each entry are looked up once and changed in place, through their dictionary
        // index: a copy of the worker's state would copy its set of assigned articles too, and an entry
        // holds an article's bytes and strings.
        var known = workers.index(forKey: worker)
        if known == nil {
            workers[worker] = Worker(capacity: capacity, lastSeen: now)
            known = workers.index(forKey: worker)
        }
        guard let slot = known else { return }
        workers.values[slot].capacity = max(0, capacity)
        workers.values[slot].lastSeen = now
        workers.values[slot].batch = max(1, batch)
        for seq in done where workers.values[slot].assigned.remove(seq) != nil {
            guard let entry = entries.index(forKey: seq) else { continue }
            workers.values[slot].bytes -= entries.values[entry].raw.body.count
            if entries.values[entry].worker == worker { entries.values[entry].worker = nil }
        }
        if workers.values[slot].assigned.isEmpty { workers.values[slot].bytes = 0 }
        workers.values[slot].checkIsolation()
    }

    /// A worker is alive. Returns `false` when it is unknown (it must announce itself with `ready`).
    mutating func heartbeat(worker: [UInt8], now: ContinuousClock.Instant) -> Bool {
        guard workers[worker] != nil else { return false }
        workers[worker]?.lastSeen = now
        return true
    }

    /// The next article to send and the worker with most free credit that has room for its bytes, or `nil`
    /// if none can be sent now. A suspect article goes only to a worker that holds nothing, and the articles
    /// queued behind it wait until one does (workers finish what they hold within a parse or two); a
    /// worker holding a suspect is sent nothing else.
    mutating func nextAssignment(now: ContinuousClock.Instant) -> (worker: [UInt8], raw: RawArticle)? {
        nextAssigned(now: now).map { (workers.keys[$0.worker], $0.raw) }
    }

    /// ``nextAssignment(now:)``, with the worker as its index in ``workers``.
    private mutating func nextAssigned(now: ContinuousClock.Instant) -> (worker: WorkerIndex, raw: RawArticle)? {
        while queueHead < queue.count {
            let seq = queue[queueHead]
            // Acknowledged while it waited for a redelivery: nothing to send.
            guard let slot = entries.index(forKey: seq) else {
                queueHead += 1
                compactQueue()
                continue
            }
            // Read and changed in place (see ``ready(worker:capacity:done:batch:now:)``).
            let size = entries.values[slot].raw.body.count
            let suspect = entries.values[slot].suspect
            var chosen: (index: WorkerIndex, free: Int)? = nil
            for index in workers.indices {
                let free = workers.values[index].free
                guard workers.values[index].isolating == nil, free > (chosen?.free ?? 0) else { continue }
                let bytes = workers.values[index].bytes
                let fits = suspect ? workers.values[index].assigned.isEmpty : bytes == 0 || bytes + size <= workerBytes
                if fits { chosen = (index, free) }
            }
            guard let chosen else { return nil }
            queueHead += 1
            compactQueue()
            entries.values[slot].worker = workers.keys[chosen.index]
            entries.values[slot].sentAt = now
            workers.values[chosen.index].assigned.insert(seq)
            workers.values[chosen.index].bytes += size
            if suspect { workers.values[chosen.index].isolating = seq }
            return (chosen.index, entries.values[slot].raw)
        }
        return nil
    }

    /// Everything that can be sent now, as messages: each worker's articles in order, up to its `batch` to
    /// a message and, past the first, up to `maxBytes` of bodies. One message carries many articles to a
    /// worker that asked for it: one message fewer to send, route, receive and hand over per article.
    mutating func nextMessages(now: ContinuousClock.Instant, maxBytes: Int) -> [(worker: [UInt8], raws: [RawArticle])] {
        var messages: [(worker: [UInt8], raws: [RawArticle])] = []
        // Each worker's message still being filled: the worker, where its message is, and its bytes so far
        // (a few workers: a list is quicker than hashing their ids for every article).
        var filling: [(worker: WorkerIndex, message: Int, bytes: Int)] = []
        while let (worker, raw) = nextAssigned(now: now) {
            let size = raw.body.count
            guard let open = filling.firstIndex(where: { $0.worker == worker }) else {
                filling.append((worker, messages.count, size))
                messages.append((workers.keys[worker], [raw]))
                continue
            }
            if messages[filling[open].message].raws.count < workers.values[worker].batch,
               filling[open].bytes + size <= maxBytes {
                messages[filling[open].message].raws.append(raw)
                filling[open].bytes += size
            } else {
                filling[open] = (worker, messages.count, size)
                messages.append((workers.keys[worker], [raw]))
            }
        }
        return messages
    }

    /// The sink acknowledged `seq`, article `id`; returns its entry (to tell the source), or `nil` if it was
    /// not outstanding (or that sequence number now holds another article).
    mutating func acknowledge(_ seq: UInt64, id: String) -> Entry? {
        guard let slot = entries.index(forKey: seq), entries.values[slot].raw.id == id else { return nil }
        let entry = entries.remove(at: slot).value
        if let worker = entry.worker { release(seq, bytes: entry.raw.body.count, from: worker) }
        return entry
    }

    /// Forgets a worker that cannot be reached and queues what it held for redelivery, each charged an
    /// attempt. What it held along with other articles becomes suspect (``Entry/suspect``).
    mutating func dropWorker(_ worker: [UInt8], reason: String) {
        guard let state = workers.removeValue(forKey: worker) else { return }
        let shared = state.assigned.count > 1
        for seq in state.assigned.sorted() {
            if shared { entries[seq]?.suspect = true }
            requeue(seq, reason: reason)
        }
    }

    /// Drops silent workers and redelivers articles whose acknowledgement is overdue. Returns the dropped
    /// workers.
    mutating func expire(now: ContinuousClock.Instant) -> [[UInt8]] {
        let silent = workers.filter { now - $0.value.lastSeen > workerTimeout }.map(\.key)
        for worker in silent {
            dropWorker(worker, reason: "worker \(String(decoding: worker, as: UTF8.self)) stopped answering")
        }
        // Iterate without copying entries (each holds an article's bytes).
        var overdue: [UInt64] = []
        for (seq, entry) in entries {
            if let sentAt = entry.sentAt, now - sentAt > ackTimeout { overdue.append(seq) }
        }
        for seq in overdue.sorted() {
            if let entry = entries[seq], let worker = entry.worker {
                release(seq, bytes: entry.raw.body.count, from: worker)
            }
            requeue(seq, reason: "not acknowledged within \(ackTimeout)")
        }
        return silent
    }

    /// `seq` is no longer at `worker` (acknowledged or overdue before the worker said it was done).
    private mutating func release(_ seq: UInt64, bytes: Int, from worker: [UInt8]) {
        guard let slot = workers.index(forKey: worker), workers.values[slot].assigned.remove(seq) != nil else { return }
        workers.values[slot].bytes -= bytes
        workers.values[slot].checkIsolation()
    }

    private mutating func requeue(_ seq: UInt64, reason: String) {
        guard var entry = entries[seq], entry.sentAt != nil else { return }
        entry.worker = nil
        entry.sentAt = nil
        entry.lastFailure = reason
        entry.raw.attempt += 1
        if entry.raw.attempt > maxAttempts, entry.raw.deadLetterReason == nil {
            entry.raw.deadLetterReason = "gave up after \(maxAttempts) attempts; last: \(reason)"
        }
        entries[seq] = entry
        queue.append(seq)
        redelivered += 1
    }

    private mutating func compactQueue() {
        if queueHead > 4096 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
    }
}
