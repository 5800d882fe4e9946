/// Every message of the newsflow wire protocol (`docs/protocol.md`).
public enum WireMessage: Sendable, Equatable {
    /// An outside producer (or the stdin source) hands the fetcher an article to ingest.
    case inject(InjectHeader, body: [UInt8])
    /// The fetcher dispatches a raw article to a worker.
    case raw(RawArticle)
    /// The fetcher dispatches several raw articles in one `raw` message (a header and a payload frame
    /// each), to a worker that announced a `batch` of more than one.
    case rawBatch([RawArticle])
    /// A worker sends a parsed record (JSON, one object) to the sink.
    case parsed(ResultHeader, record: [UInt8])
    /// A worker reports an article it could not parse; the sink dead-letters it.
    case failure(FailureHeader, raw: [UInt8])
    /// The sink acknowledges articles it has durably written (or dead-lettered, or already had).
    case ack([Ack])
    /// A worker grants the fetcher credit for more raw articles.
    case ready(Ready)
    /// Liveness, sent both ways between fetcher and workers.
    case heartbeat(Heartbeat)
    /// The fetcher tells a producer on the `submit` endpoint which articles are safely journaled.
    case accepted([Acceptance])
    /// The fetcher tells a producer on the `submit` endpoint which articles it could not take now, and
    /// why (its journal's disk is full): sent as an `accepted` message with an empty `accepted` list and
    /// a `refused` list, so producers that predate it just resend later.
    case refused([Refusal])

    /// The kind frame's text.
    public var kind: String {
        switch self {
        case .inject: "inject"
        case .raw, .rawBatch: "raw"
        case .parsed: "parsed"
        case .failure: "failure"
        case .ack: "ack"
        case .ready: "ready"
        case .heartbeat: "heartbeat"
        case .accepted, .refused: "accepted"
        }
    }
}

/// Header of an `inject` message; every field is optional.
public struct InjectHeader: Codable, Sendable, Equatable {
    /// Provenance to record; defaults to `{kind: "zmq", uri: <ingest endpoint>}`.
    public var source: SourceRef?
    /// A name hint such as `story.html`.
    public var name: String?
    /// An id chosen by the producer; default: the content id of the body.
    public var id: String?
    /// The producer's own reference, echoed in `accepted` (submit endpoint only).
    public var ref: String?

    /// Creates an inject header.
    public init(source: SourceRef? = nil, name: String? = nil, id: String? = nil, ref: String? = nil) {
        self.source = source
        self.name = name
        self.id = id
        self.ref = ref
    }
}

/// One article a producer submitted that is now safely in the journal: from here on newsflow delivers it.
public struct Acceptance: Codable, Sendable, Equatable {
    /// The producer's reference from the `inject` header (empty if it gave none).
    public var ref: String
    /// The article's id.
    public var id: String
    /// The fetcher's sequence number.
    public var seq: UInt64

    /// Creates an acceptance.
    public init(ref: String, id: String, seq: UInt64) {
        self.ref = ref
        self.id = id
        self.seq = seq
    }
}

/// An article a producer submitted that the fetcher did not take: resend it later.
public struct Refusal: Codable, Sendable, Equatable {
    /// The producer's reference from the `inject` header (empty if it gave none).
    public var ref: String
    /// Why, for the producer's log.
    public var reason: String

    public init(ref: String, reason: String) {
        self.ref = ref
        self.reason = reason
    }
}

/// Header of an `accepted` message.
struct AcceptedHeader: Codable {
    var accepted: [Acceptance]
    var refused: [Refusal]? = nil
}

/// Header of a `raw` message.
struct RawHeader: Codable {
    var id: String
    var seq: UInt64
    var attempt: Int
    var source: SourceRef
    var fetchedAt: String
    var name: String?
    var deadLetterReason: String?

    enum CodingKeys: String, CodingKey {
        case id, seq, attempt, source, name
        case fetchedAt = "fetched_at"
        case deadLetterReason = "dead_letter_reason"
    }
}

/// Header of a `parsed` message.
public struct ResultHeader: Codable, Sendable, Equatable {
    /// Article id.
    public var id: String
    /// Fetcher sequence number.
    public var seq: UInt64
    /// Worker instance that made the record.
    public var worker: String

    /// Creates a result header.
    public init(id: String, seq: UInt64, worker: String) {
        self.id = id
        self.seq = seq
        self.worker = worker
    }
}

/// Header of a `failure` message: everything the dead-letter line needs besides the raw bytes.
public struct FailureHeader: Codable, Sendable, Equatable {
    /// Article id.
    public var id: String
    /// Fetcher sequence number.
    public var seq: UInt64
    /// Worker instance that gave up.
    public var worker: String
    /// Dispatch attempts so far.
    public var attempt: Int
    /// Why, in words a user can act on.
    public var reason: String
    /// Provenance of the raw article.
    public var source: SourceRef
    /// When it was fetched.
    public var fetchedAt: String
    /// Name hint of the raw article.
    public var name: String?

    /// Creates a failure header.
    public init(id: String, seq: UInt64, worker: String, attempt: Int, reason: String, source: SourceRef,
                fetchedAt: String, name: String?) {
        self.id = id
        self.seq = seq
        self.worker = worker
        self.attempt = attempt
        self.reason = reason
        self.source = source
        self.fetchedAt = fetchedAt
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, seq, worker, attempt, reason, source, name
        case fetchedAt = "fetched_at"
    }
}

/// One acknowledgement from the sink.
public struct Ack: Codable, Sendable, Equatable {
    /// What the sink did with the article.
    public enum Outcome: String, Codable, Sendable {
        /// Written to `out/` and synced to disk.
        case written
        /// Its id was already in `out/`; nothing written.
        case duplicate
        /// Written to `dead-letter/` and synced.
        case deadLetter = "dead_letter"
    }

    /// Fetcher sequence number.
    public var seq: UInt64
    /// Article id.
    public var id: String
    /// What happened.
    public var outcome: Outcome

    /// Creates an ack.
    public init(seq: UInt64, id: String, outcome: Outcome) {
        self.seq = seq
        self.id = id
        self.outcome = outcome
    }
}

/// Header of an `ack` message.
struct AckHeader: Codable {
    var acks: [Ack]
}

/// A worker's credit: how many raw articles it may hold at once, and which ones it has finished.
///
/// The fetcher keeps at most `capacity` unfinished articles at each worker; every sequence number in `done`
/// frees one slot. Credit is therefore recomputed, never accumulated, and cannot drift across restarts.
public struct Ready: Codable, Sendable, Equatable {
    /// Worker instance.
    public var worker: String
    /// How many unfinished articles the worker accepts at once.
    public var capacity: Int
    /// Sequence numbers the worker has finished (sent on to the sink) since its last `ready`.
    public var done: [UInt64]
    /// Most articles the worker takes in one `raw` message; absent (workers before it): one.
    public var batch: Int?

    /// Creates a credit message.
    public init(worker: String, capacity: Int, done: [UInt64] = [], batch: Int? = nil) {
        self.worker = worker
        self.capacity = capacity
        self.done = done
        self.batch = batch
    }
}

/// Liveness of a role instance.
public struct Heartbeat: Codable, Sendable, Equatable {
    /// `fetcher`, `parser` or `sink`.
    public var role: String
    /// The instance name (e.g. `parser-2`).
    public var instance: String
    /// Changes every time the instance starts, so peers notice restarts.
    public var epoch: String
    /// Articles the sender currently holds unfinished (workers) or is waiting on (fetcher).
    public var inFlight: Int?

    /// Creates a heartbeat.
    public init(role: String, instance: String, epoch: String, inFlight: Int? = nil) {
        self.role = role
        self.instance = instance
        self.epoch = epoch
        self.inFlight = inFlight
    }

    enum CodingKeys: String, CodingKey {
        case role, instance, epoch
        case inFlight = "in_flight"
    }
}
