import Foundation
import Logging
import NewsModel
import RoleSupport
import ZeroMQ

#if canImport(Glibc)
import Glibc
#endif

// Socket of a replay into a running pipeline, owned by its thread:
//   submit   DEALER connect <-> the running fetcher's ROUTER: sends `inject` with a ref, receives `accepted`

/// Replays stored streams into a running pipeline through its fetcher's `submit` endpoint: at most a
/// window of articles unaccepted, anything not accepted in time sent again, and the position up to which
/// everything was accepted saved, so `--resume` continues there. Once accepted, the running pipeline's
/// journal delivers an article whatever fails.
public struct ReplayClient: Sendable {
    /// What to replay and where.
    public struct Settings: Sendable {
        /// Sources (files or folders).
        public var paths: [String]
        /// Which articles.
        public var filter: ReplayReader.Filter
        /// The running fetcher's submit endpoint.
        public var endpoint: String
        /// Where the resume position is kept.
        public var positionFile: URL
        /// Continue from the saved position.
        public var resume: Bool
        /// Articles per second (0: as fast as the pipeline accepts).
        public var rate: Double
        /// CURVE client keys for the submit endpoint (see ``TransportSecurity``).
        public var security: TransportSecurity = .off

        /// Creates settings.
        public init(paths: [String], filter: ReplayReader.Filter, endpoint: String, positionFile: URL, resume: Bool,
                    rate: Double) {
            self.paths = paths
            self.filter = filter
            self.endpoint = endpoint
            self.positionFile = positionFile
            self.resume = resume
            self.rate = rate
        }
    }

    private let settings: Settings
    private let logger: Logger

    /// A client; nothing is opened until ``run()``.
    public init(settings: Settings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Replays everything; returns the number of articles accepted.
    public func run() async throws -> Int {
        let settings = self.settings
        let logger = self.logger
        let box = ResultBox()
        try await BlockingLoop.run(name: "newsflow-replay") { stop in
            box.value = try Self.loop(settings: settings, logger: logger, stop: stop)
        }
        return box.value
    }

    private final class ResultBox: @unchecked Sendable { var value = 0 }

    private static func loop(settings: Settings, logger: Logger, stop: StopSignal) throws -> Int {
        let reader = try ReplayReader(paths: settings.paths, filter: settings.filter)
        let total = reader.countLines()
        var start = 0
        if settings.resume, let text = try? String(contentsOf: settings.positionFile, encoding: .utf8),
           let saved = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            start = saved
            try reader.skip(saved)
            logger.info("replay resumes", metadata: ["replay.position": "\(saved)"])
        }
        let zmq = try Context()
        let socket = try Socket(zmq, type: .dealer)
        // The fetcher answers only with small `accepted` lists; anything larger is not from a fetcher.
        try socket.setMaxMessageSize(1 << 20)
        try settings.security.secureClient(socket, endpoint: settings.endpoint)
        try socket.connect(settings.endpoint)
        let clock = ContinuousClock()
        let began = clock.now
        var pending: [Int: (raw: RawArticle, sentAt: ContinuousClock.Instant)] = [:]
        var acceptedPositions = Set<Int>()
        var savedPosition = start
        var accepted = 0
        var sent = 0
        var exhausted = false
        var lastSave = clock.now
        var lastLog = clock.now
        func send(_ raw: RawArticle, position: Int) throws {
            let header = InjectHeader(source: raw.source, name: raw.name, id: raw.id, ref: String(position))
            _ = try socket.send(WireCodec.encode(.inject(header, body: raw.body)))
            pending[position] = (raw, clock.now)
        }
        while !stop.isRequested, !(exhausted && pending.isEmpty) {
            let elapsed = Double((clock.now - began).components.seconds) + Double((clock.now - began).components.attoseconds) / 1e18
            while !exhausted, pending.count < 1000, settings.rate <= 0 || Double(sent) < elapsed * settings.rate {
                guard let raw = try reader.next() else {
                    exhausted = true
                    break
                }
                try send(raw, position: reader.consumed)
                sent += 1
            }
            if try socket.poll(.readable, timeoutMilliseconds: 100).contains(.readable) {
                while let frames = try socket.receive(dontWait: true) {
                    guard case .accepted(let acceptances) = try? WireCodec.decode(frames) else { continue }
                    for acceptance in acceptances {
                        guard let position = Int(acceptance.ref), pending.removeValue(forKey: position) != nil else { continue }
                        acceptedPositions.insert(position)
                        accepted += 1
                    }
                }
            }
            for (position, entry) in pending where clock.now - entry.sentAt > .seconds(5) {
                try send(entry.raw, position: position)
            }
            // Everything up to the earliest unaccepted article is done.
            let frontier = (pending.keys.min() ?? (reader.consumed + 1)) - 1
            if frontier > savedPosition, clock.now - lastSave >= .seconds(1) || (exhausted && pending.isEmpty) {
                try Data("\(frontier)\n".utf8).write(to: settings.positionFile, options: .atomic)
                savedPosition = frontier
                lastSave = clock.now
                acceptedPositions = acceptedPositions.filter { $0 > frontier }
            }
            if clock.now - lastLog >= .seconds(2) {
                lastLog = clock.now
                logger.info("replay progress", metadata: ["replay.accepted": "\(accepted)", "replay.position": "\(reader.consumed)",
                                                          "replay.total": "\(total)", "replay.unaccepted": "\(pending.count)"])
            }
        }
        let frontier = (pending.keys.min() ?? (reader.consumed + 1)) - 1
        try Data("\(frontier)\n".utf8).write(to: settings.positionFile, options: .atomic)
        socket.close()
        return accepted
    }
}
