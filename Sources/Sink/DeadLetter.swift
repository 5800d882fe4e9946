import Foundation
import NewsModel

/// One line of `dead-letter/*.jsonl`: the raw input (as text when it is UTF-8, else base64), why it
/// failed, how many attempts were made and by which worker.
struct DeadLetter: Encodable {
    var id: String
    var seq: UInt64
    var reason: String
    var attempts: Int
    var worker: String
    var source: SourceRef
    var name: String?
    var fetchedAt: String
    var failedAt: String
    var raw: String?
    var rawBase64: String?
    var rawBytes: Int

    init(_ header: FailureHeader, raw: [UInt8]) {
        self.id = header.id
        self.seq = header.seq
        self.reason = header.reason
        self.attempts = header.attempt
        self.worker = header.worker
        self.source = header.source
        self.name = header.name
        self.fetchedAt = header.fetchedAt
        self.failedAt = Timestamp.now()
        self.rawBytes = raw.count
        if let text = String(validating: raw, as: UTF8.self), !text.utf8.contains(0) {
            self.raw = text
        } else {
            self.rawBase64 = Data(raw).base64EncodedString()
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, seq, reason, attempts, worker, source, name, raw
        case fetchedAt = "fetched_at"
        case failedAt = "failed_at"
        case rawBase64 = "raw_base64"
        case rawBytes = "raw_bytes"
    }
}
