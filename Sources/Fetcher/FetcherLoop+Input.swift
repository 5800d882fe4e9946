import Foundation
import NewsModel
import RoleSupport
import ZeroMQ

// The fetcher's input: articles injected by producers (`ingest`, `submit`), files from the drop folder,
// feed items and replayed records, each journaled and admitted to the dispatcher while the window has room.

extension FetcherLoop {
    /// Answers every waiting submission with a refusal (the journal cannot take it now).
    func refuseSubmitted(_ socket: Socket, reason: String) {
        var byProducer: [[UInt8]: [Refusal]] = [:]
        while let frames = try? socket.receive(dontWait: true) {
            guard frames.count >= 2,
                  case .inject(let header, _) = context.protocolGuard.decode(frames[1...], endpoint: "submit")
            else { continue }
            byProducer[frames[0], default: []].append(
                Refusal(ref: header.ref ?? "", reason: "the journal cannot be written (\(reason)); resend later"))
        }
        for (producer, refusals) in byProducer {
            _ = try? socket.send([producer] + WireCodec.encode(.refused(refusals)), dontWait: true)
        }
    }

    /// Fire-and-forget injection (`ingest`, PULL).
    func receiveInjected(_ socket: Socket) throws {
        while dispatcher.room > 0, let frames = try socket.receive(dontWait: true) {
            guard let message = context.protocolGuard.decode(frames[...], endpoint: "ingest") else { continue }
            guard case .inject(let header, let body) = message else {
                context.protocolGuard.rejectKind(message, endpoint: "ingest")
                continue
            }
            _ = try admitInjected(header, body: body, endpoint: config.endpoints.ingest)
        }
    }

    /// Acknowledged injection (`submit`, ROUTER): the producer is told once the article is journaled.
    func receiveSubmitted(_ socket: Socket) throws {
        while dispatcher.room > 0, let frames = try socket.receive(dontWait: true) {
            guard frames.count >= 2 else { continue }
            guard let message = context.protocolGuard.decode(frames[1...], endpoint: "submit") else { continue }
            guard case .inject(let header, let body) = message else {
                context.protocolGuard.rejectKind(message, endpoint: "submit")
                continue
            }
            let raw = try admitInjected(header, body: body, endpoint: config.endpoints.submit)
            pendingAccepts.append((frames[0], Acceptance(ref: header.ref ?? "", id: raw.id, seq: raw.seq)))
        }
    }

    func admitInjected(_ header: InjectHeader, body: [UInt8], endpoint: String) throws -> RawArticle {
        let source = Self.injectedSource(header.source, endpoint: endpoint)
        if source.kind == "stdin" { stdinReceived += 1 }
        let givenID = header.id.flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 }
        var raw = RawArticle(
            id: givenID ?? ArticleID(contentOf: body).description, seq: try sequence.allocate(),
            source: source, fetchedAt: Timestamp.now(), name: header.name, body: body)
        if body.count > config.limits.maxArticleBytes {
            raw.deadLetterReason = "article is \(body.count) bytes, over limits.max_article_bytes (\(config.limits.maxArticleBytes))"
        }
        counters.bytesReceived(body.count)
        counters.articles("received", stage: .receiving)
        raw = try journal.append(raw)
        dispatcher.admit(raw)
        return raw
    }

    /// Tells producers which of their submitted articles are now journaled (as durably as the policy says).
    func sendAcceptances(_ socket: Socket) throws {
        guard !pendingAccepts.isEmpty else { return }
        var byProducer: [[UInt8]: [Acceptance]] = [:]
        for (producer, acceptance) in pendingAccepts { byProducer[producer, default: []].append(acceptance) }
        pendingAccepts.removeAll()
        for (producer, acceptances) in byProducer {
            // A producer that went away will resend what it was not told about; nothing to do here.
            _ = try? socket.send([producer] + WireCodec.encode(.accepted(acceptances)), dontWait: true)
        }
    }

    /// The source recorded for an injected article: the producer's own when its kind is one newsflow
    /// knows, else kind `zmq` with the producer's kind kept in the uri.
    static func injectedSource(_ given: SourceRef?, endpoint: String) -> SourceRef {
        guard let given else { return SourceRef(kind: "zmq", uri: endpoint) }
        if ["zmq", "stdin", "feed", "replay", "dir"].contains(given.kind) { return given }
        return SourceRef(kind: "zmq", uri: "\(given.kind):\(given.uri)")
    }

    /// Takes up to the window's room of new files; returns whether the scan stopped at that limit.
    func takeFiles(from inbox: InboxSource) throws -> Bool {
        let room = dispatcher.room
        guard room > 0 else { return false }
        let files = inbox.scan(limit: room)
        inboxExhausted = files.isEmpty
        for file in files {
            guard let read = inbox.read(file, maxBytes: config.limits.maxArticleBytes) else { continue }
            let uri = config.layout.inbox.appendingPathComponent(file.name).path
            var raw = RawArticle(
                id: "", seq: try sequence.allocate(), source: SourceRef(kind: "dir", uri: uri),
                fetchedAt: Timestamp.now(), name: file.name, body: [])
            switch read {
            case .contents(let bytes):
                raw.id = ArticleID(contentOf: bytes).description
                raw.body = bytes
                counters.bytesReceived(bytes.count)
            case .tooLarge(let size):
                raw.id = ArticleID(contentOf: Array("\(uri)\t\(file.fingerprint)".utf8)).description
                raw.deadLetterReason = "file is \(size) bytes, over limits.max_article_bytes (\(config.limits.maxArticleBytes)); left in place at \(uri)"
            case .unreadable(let reason):
                raw.id = ArticleID(contentOf: Array("\(uri)\t\(file.fingerprint)".utf8)).description
                raw.deadLetterReason = reason
            }
            counters.articles("received", stage: .receiving)
            raw = try journal.append(raw)
            dispatcher.admit(raw)
            pendingTaken.append(file)
        }
        return files.count >= room
    }

    func takeFeedArticles(from feeds: FeedSource) throws {
        for taken in feeds.take(limit: dispatcher.room) {
            var raw = taken
            raw.seq = try sequence.allocate()
            if raw.body.count > config.limits.maxArticleBytes, raw.deadLetterReason == nil {
                raw.deadLetterReason = "article is \(raw.body.count) bytes, over limits.max_article_bytes (\(config.limits.maxArticleBytes))"
            }
            counters.bytesReceived(raw.body.count)
            counters.articles("received", stage: .receiving)
            raw = try journal.append(raw)
            dispatcher.admit(raw)
            pendingFeedIDs.append(raw.id)
        }
    }

    func takeReplayed(from replay: ReplaySource, now: ContinuousClock.Instant) throws {
        for (taken, position) in try replay.take(limit: dispatcher.room, now: now) {
            var raw = taken
            raw.seq = try sequence.allocate()
            counters.bytesReceived(raw.body.count)
            counters.articles("received", stage: .receiving)
            raw = try journal.append(raw)
            dispatcher.admit(raw)
            replay.admitted(seq: raw.seq, position: position)
        }
    }
}
