import Foundation

/// Encodes and decodes ``WireMessage`` as ZeroMQ multipart frames:
///
/// ```
/// frame 0: "newsflow/1"           protocol and version
/// frame 1: kind                   inject | raw | parsed | failure | ack | ready | heartbeat | accepted
/// frame 2: header                 one JSON object (UTF-8)
/// frame 3: payload                raw bytes or record JSON (inject, raw, parsed, failure only)
/// ```
/// A batched `raw` message repeats frames 2 and 3 for each article (to workers that announced a `batch`).
public enum WireCodec {
    /// The first frame of every message.
    public static let signature = "newsflow/1"
    static let signatureBytes = Array(signature.utf8)
    static let signaturePrefix = Array("newsflow/".utf8)

    /// Frames for a message.
    public static func encode(_ message: WireMessage) -> [[UInt8]] {
        let kind = Array(message.kind.utf8)
        switch message {
        // The headers of every article's messages are written directly (see ``JSONWriter``): the same bytes
        // as `JSONEncoder` with sorted keys, without its cost on each message.
        case .inject(let header, let body):
            var json = JSONWriter(capacity: 256)
            json.beginObject()
            json.optional("id", header.id)
            json.optional("name", header.name)
            json.optional("ref", header.ref)
            if let source = header.source {
                json.key("source")
                source.write(into: &json)
            }
            json.endObject()
            return [signatureBytes, kind, json.bytes, body]
        case .raw(let raw):
            return [signatureBytes, kind, rawHeader(raw), raw.body]
        case .rawBatch(let raws):
            var frames = [signatureBytes, kind]
            frames.reserveCapacity(2 + 2 * raws.count)
            for raw in raws {
                frames.append(rawHeader(raw))
                frames.append(raw.body)
            }
            return frames
        case .parsed(let header, let record):
            var json = JSONWriter(capacity: 96)
            json.beginObject()
            json.field("id", header.id)
            json.field("seq", header.seq)
            json.field("worker", header.worker)
            json.endObject()
            return [signatureBytes, kind, json.bytes, record]
        case .failure(let header, let raw):
            return [signatureBytes, kind, json(header), raw]
        case .ack(let acks):
            var json = JSONWriter(capacity: 64 + acks.count * 64)
            json.beginObject()
            json.key("acks")
            json.objects(acks) { json, ack in
                json.field("id", ack.id)
                json.field("outcome", ack.outcome.rawValue)
                json.field("seq", ack.seq)
            }
            json.endObject()
            return [signatureBytes, kind, json.bytes]
        case .ready(let ready):
            var json = JSONWriter(capacity: 64 + ready.done.count * 8)
            json.beginObject()
            json.optional("batch", ready.batch)
            json.field("capacity", ready.capacity)
            json.key("done")
            json.beginArray()
            for seq in ready.done {
                json.element()
                json.int(seq)
            }
            json.endArray()
            json.field("worker", ready.worker)
            json.endObject()
            return [signatureBytes, kind, json.bytes]
        case .heartbeat(let heartbeat):
            return [signatureBytes, kind, json(heartbeat)]
        case .accepted(let acceptances):
            var json = JSONWriter(capacity: 32 + acceptances.count * 64)
            json.beginObject()
            json.key("accepted")
            json.objects(acceptances) { json, acceptance in
                json.field("id", acceptance.id)
                json.field("ref", acceptance.ref)
                json.field("seq", acceptance.seq)
            }
            json.endObject()
            return [signatureBytes, kind, json.bytes]
        case .refused(let refusals):
            var json = JSONWriter(capacity: 64 + refusals.count * 96)
            json.beginObject()
            json.key("accepted")
            json.beginArray()
            json.endArray()
            json.key("refused")
            json.objects(refusals) { json, refusal in
                json.field("reason", refusal.reason)
                json.field("ref", refusal.ref)
            }
            json.endObject()
            return [signatureBytes, kind, json.bytes]
        }
    }

    private static func rawHeader(_ raw: RawArticle) -> [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.field("attempt", raw.attempt)
        raw.writeProvenance(into: &json)
        json.endObject()
        return json.finished()
    }

    /// The message in `frames`, or a ``WireError`` saying exactly what is wrong with them.
    public static func decode(_ frames: ArraySlice<[UInt8]>) throws(WireError) -> WireMessage {
        guard frames.count >= 3 else {
            throw WireError(.wrongFrameCount, "expected at least 3 frames, got \(frames.count)")
        }
        let first = frames.startIndex
        let signature = frames[first]
        guard signature == signatureBytes else {
            if signature.starts(with: signaturePrefix) {
                let version = String(decoding: signature, as: UTF8.self)
                throw WireError(.unsupportedVersion, "peer speaks \(version), this build speaks \(Self.signature)")
            }
            throw WireError(.badSignature, "first frame is not \(Self.signature)")
        }
        let kind = String(decoding: frames[first + 1], as: UTF8.self)
        let header = frames[first + 2]
        let payload: [UInt8]? = frames.count > 3 ? frames[first + 3] : nil
        let expectsPayload = ["inject", "raw", "parsed", "failure"].contains(kind)
        let expectedCount = expectsPayload ? 4 : 3
        // A batched `raw` carries a header and a payload per article.
        let batched = kind == "raw" && frames.count > 4 && frames.count % 2 == 0
        if frames.count != expectedCount, !batched,
           ["inject", "raw", "parsed", "failure", "ack", "ready", "heartbeat", "accepted"].contains(kind) {
            throw WireError(.wrongFrameCount, "\(kind) takes \(expectedCount) frames, got \(frames.count)")
        }
        switch kind {
        case "inject":
            return .inject(try decodeHeader(fastInject(header), InjectHeader.self, header, kind), body: payload ?? [])
        case "raw" where batched:
            var raws: [RawArticle] = []
            raws.reserveCapacity((frames.count - 2) / 2)
            for index in stride(from: first + 2, to: frames.endIndex, by: 2) {
                raws.append(try rawArticle(header: frames[index], body: frames[index + 1], kind))
            }
            return .rawBatch(raws)
        case "raw":
            return .raw(try rawArticle(header: header, body: payload ?? [], kind))
        case "parsed":
            return .parsed(try decodeHeader(fastResult(header), ResultHeader.self, header, kind), record: payload ?? [])
        case "failure":
            return .failure(try decodeHeader(FailureHeader.self, header, kind), raw: payload ?? [])
        case "ack":
            return .ack(try decodeHeader(fastAcks(header).map { AckHeader(acks: $0) }, AckHeader.self, header, kind).acks)
        case "ready":
            return .ready(try decodeHeader(fastReady(header), Ready.self, header, kind))
        case "heartbeat":
            return .heartbeat(try decodeHeader(Heartbeat.self, header, kind))
        case "accepted":
            let decoded = try decodeHeader(fastAccepted(header), AcceptedHeader.self, header, kind)
            if decoded.accepted.isEmpty, let refused = decoded.refused, !refused.isEmpty { return .refused(refused) }
            return .accepted(decoded.accepted)
        default:
            throw WireError(.unknownKind, "unknown message kind \(kind.debugDescription)")
        }
    }

    private static func rawArticle(header: [UInt8], body: [UInt8], _ kind: String) throws(WireError) -> RawArticle {
        let h = try decodeHeader(fastRaw(header), RawHeader.self, header, kind)
        return RawArticle(
            id: h.id, seq: h.seq, attempt: h.attempt, source: h.source, fetchedAt: h.fetchedAt, name: h.name,
            body: body, deadLetterReason: h.deadLetterReason)
    }

    /// Decodes whole frames (no routing-id prefix).
    public static func decode(_ frames: [[UInt8]]) throws(WireError) -> WireMessage {
        try decode(frames[...])
    }

    private static func json<T: Encodable>(_ value: T) -> [UInt8] {
        // Encoding these plain structs of strings and integers cannot fail; an empty object is the
        // conservative answer should it ever do so, and the receiver then reports a bad header.
        (try? Array(headerEncoder.encode(value))) ?? Array("{}".utf8)
    }

    // Headers of every article's messages are read by ``JSONValue``; a header it does not take (or one that
    // does not have the expected members and types) goes to `JSONDecoder`, whose answer stands.

    private static func fastSource(_ value: JSONValue?) -> SourceRef? {
        guard let value, let kind = value["kind"]?.string, let uri = value["uri"]?.string,
              case .some(let feed) = value.optionalString("feed"), case .some(let feedName) = value.optionalString("feed_name"),
              case .some(let published) = value.optionalString("published")
        else { return nil }
        var tags: [String]? = nil
        switch value["tags"] {
        case nil, .null?: break
        case .array(let list)?:
            let strings = list.compactMap(\.string)
            guard strings.count == list.count else { return nil }
            tags = strings
        default: return nil
        }
        return SourceRef(kind: kind, uri: uri, feed: feed, feedName: feedName, tags: tags, published: published)
    }

    private static func fastRaw(_ bytes: [UInt8]) -> RawHeader? {
        guard let value = JSONValue.read(bytes), let id = value["id"]?.string, let seq = value["seq"]?.uint64,
              let attempt = value["attempt"]?.int, let source = fastSource(value["source"]),
              let fetchedAt = value["fetched_at"]?.string, case .some(let name) = value.optionalString("name"),
              case .some(let reason) = value.optionalString("dead_letter_reason")
        else { return nil }
        return RawHeader(id: id, seq: seq, attempt: attempt, source: source, fetchedAt: fetchedAt, name: name,
                         deadLetterReason: reason)
    }

    private static func fastResult(_ bytes: [UInt8]) -> ResultHeader? {
        guard let value = JSONValue.read(bytes), let id = value["id"]?.string, let seq = value["seq"]?.uint64,
              let worker = value["worker"]?.string
        else { return nil }
        return ResultHeader(id: id, seq: seq, worker: worker)
    }

    private static func fastInject(_ bytes: [UInt8]) -> InjectHeader? {
        guard let value = JSONValue.read(bytes), case .object = value, case .some(let name) = value.optionalString("name"),
              case .some(let id) = value.optionalString("id"), case .some(let ref) = value.optionalString("ref")
        else { return nil }
        var source: SourceRef? = nil
        switch value["source"] {
        case nil, .null?: break
        case let given?:
            guard let parsed = fastSource(given) else { return nil }
            source = parsed
        }
        return InjectHeader(source: source, name: name, id: id, ref: ref)
    }

    private static func fastAcks(_ bytes: [UInt8]) -> [Ack]? {
        guard let value = JSONValue.read(bytes), case .array(let list)? = value["acks"] else { return nil }
        var acks: [Ack] = []
        acks.reserveCapacity(list.count)
        for entry in list {
            guard let seq = entry["seq"]?.uint64, let id = entry["id"]?.string,
                  let outcome = entry["outcome"]?.string.flatMap(Ack.Outcome.init(rawValue:))
            else { return nil }
            acks.append(Ack(seq: seq, id: id, outcome: outcome))
        }
        return acks
    }

    private static func fastReady(_ bytes: [UInt8]) -> Ready? {
        guard let value = JSONValue.read(bytes), let worker = value["worker"]?.string, let capacity = value["capacity"]?.int,
              case .array(let list)? = value["done"]
        else { return nil }
        var done: [UInt64] = []
        done.reserveCapacity(list.count)
        for entry in list {
            guard let seq = entry.uint64 else { return nil }
            done.append(seq)
        }
        var batch: Int? = nil
        switch value["batch"] {
        case nil, .null?: break
        case let given?:
            guard let count = given.int else { return nil }
            batch = count
        }
        return Ready(worker: worker, capacity: capacity, done: done, batch: batch)
    }

    private static func fastAccepted(_ bytes: [UInt8]) -> AcceptedHeader? {
        guard let value = JSONValue.read(bytes), case .array(let list)? = value["accepted"] else { return nil }
        var accepted: [Acceptance] = []
        accepted.reserveCapacity(list.count)
        for entry in list {
            guard let ref = entry["ref"]?.string, let id = entry["id"]?.string, let seq = entry["seq"]?.uint64 else { return nil }
            accepted.append(Acceptance(ref: ref, id: id, seq: seq))
        }
        var refused: [Refusal]? = nil
        switch value["refused"] {
        case nil, .null?: break
        case .array(let list)?:
            var found: [Refusal] = []
            for entry in list {
                guard let ref = entry["ref"]?.string, let reason = entry["reason"]?.string else { return nil }
                found.append(Refusal(ref: ref, reason: reason))
            }
            refused = found
        default: return nil
        }
        return AcceptedHeader(accepted: accepted, refused: refused)
    }

    /// The header read the fast way when that worked, else by `JSONDecoder`.
    private static func decodeHeader<T: Decodable>(_ fast: T?, _ type: T.Type, _ bytes: [UInt8], _ kind: String)
        throws(WireError) -> T
    {
        if let fast { return fast }
        return try decodeHeader(type, bytes, kind)
    }

    private static func decodeHeader<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], _ kind: String)
        throws(WireError) -> T
    {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw WireError(.badHeader, "\(kind) header is not valid: \(error)")
        }
    }

    private static var headerEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Why frames are not a valid newsflow message.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of protocol violation.
    public enum Code: String, Sendable {
        case wrongFrameCount = "wrong_frame_count"
        case badSignature = "bad_signature"
        case unsupportedVersion = "unsupported_version"
        case unknownKind = "unknown_kind"
        case badHeader = "bad_header"
    }

    /// What kind of violation.
    public let code: Code
    /// The details.
    public let detail: String

    /// Creates a wire error.
    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
