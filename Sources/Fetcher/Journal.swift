import Foundation
import Logging
import NewsModel
import RoleSupport
import StreamFiles

#if canImport(Glibc)
import Glibc
#endif

/// The fetcher's journal: every article is appended (and, by policy, synced) before it is dispatched, so
/// a fetcher killed at any moment redelivers what was not acknowledged when it starts again. Segments are
/// checksummed JSON Lines (`segment-<first seq>.jsonl`, see ``JournalLine``); acknowledgements go to
/// `acked.log`. The journal is also the stored raw stream that replay reads, kept by a retention policy.
final class Journal {
    /// When appended lines are forced to disk.
    enum SyncPolicy: String, Sendable {
        /// `fsync` before anything appended is dispatched: nothing accepted is lost even on power loss.
        case always
        /// `fsync` soon after a producer, a file or a feed starts waiting on it (group commit: one sync for
        /// all that waits, at most every ``groupSpacing``), and at least every `journal.fsync_ms` otherwise:
        /// a power loss can lose that long of articles nobody waits on (fire-and-forget `ingest`, stdin).
        case interval
        /// never `fsync`: safe against a killed process (the kernel has the data), not against power loss.
        case never
    }

    struct Settings: Sendable {
        var sync: SyncPolicy
        var syncInterval: Duration
        var segmentBytes: Int
        var retention: Duration
        var retentionBytes: Int
        /// Longest line written or read back (`limits.max_line_bytes`).
        var maxLineBytes: Int = .max
        /// `acked.log` is rewritten as ranges once it holds this many lines (and four times its ranges).
        var ackLogCompactionLines = 100_000
    }

    private struct Segment {
        var url: URL
        var firstSeq: UInt64
        var bytes: Int
        var pending: Int
    }

    private let folder: URL
    private let settings: Settings
    private let logger: Logger
    private var segments: [Segment] = []
    private var current: JournalFile?
    private let acks: JournalFile
    private var buffered: [UInt8] = []
    private var bufferedSeqs: [UInt64] = []
    private var ackBuffer: [UInt8] = []
    /// Every acknowledged sequence number still in a segment, as ranges.
    private var acked = SeqRanges()
    /// Lines appended to `acked.log` since it was last rewritten.
    private var ackLines = 0
    private var lastSync = ContinuousClock.now
    /// Least time between two syncs under `interval` while something waits on them, as the sink's
    /// `sink.fsync_ms`: a sync per loop turn at moderate load put both roles' syncs in each other's way on
    /// one disk, and latency went up, not down.
    static let groupSpacing = Duration.milliseconds(5)
    private var lastRetention = ContinuousClock.now
    private var unsynced = false

    init(folder: URL, settings: Settings, logger: Logger) throws {
        self.folder = folder
        self.settings = settings
        self.logger = logger
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.acks = try JournalFile(url: folder.appendingPathComponent("acked.log"))
    }

    /// Total bytes in segments.
    var bytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    // MARK: - Recovery

    /// Reads every segment, cuts a torn or corrupt tail off (quarantining it under `quarantine/`), and
    /// returns the articles that were never acknowledged, in sequence order.
    func recover() throws -> [RawArticle] {
        let acked = readAcked()
        let names = (try FileManager.default.contentsOfDirectory(atPath: folder.path))
            .filter { $0.hasPrefix("segment-") && $0.hasSuffix(".jsonl") }.sorted()
        var unacked: [RawArticle] = []
        var live = SeqRanges()
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard let firstSeq = UInt64(name.dropFirst("segment-".count).dropLast(".jsonl".count)) else { continue }
            // Read in pieces: memory stays at one piece (and one line), whatever the segment's size.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var data: [UInt8] = []
            var dataOffset = 0  // file offset of data[0]
            var pending = 0
            var goodEnd = 0  // file offset after the last whole line
            var atEnd = false
            while !atEnd {
                let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                atEnd = chunk.isEmpty
                data.append(contentsOf: chunk)
                var start = 0
                while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    let line = data[start..<newline]
                    let offset = dataOffset + start
                    if line.count > settings.maxLineBytes {
                        try quarantine(line, from: name, offset: offset,
                                       reason: "line of \(line.count) bytes is over limits.max_line_bytes (\(settings.maxLineBytes))")
                    } else if let seq = JournalLine.sequence(line), acked.contains(seq) {
                        // Acknowledged: only its number matters.
                        live.insert(seq)
                    } else {
                        switch JournalLine.decode(line) {
                        case .success(let raw):
                            live.insert(raw.seq)
                            if !acked.contains(raw.seq) {
                                unacked.append(raw)
                                pending += 1
                            }
                        case .failure(let error):
                            try quarantine(line, from: name, offset: offset, reason: error.description)
                        }
                    }
                    start = newline + 1
                    goodEnd = dataOffset + start
                }
                data.removeFirst(start)
                dataOffset += start
            }
            if !data.isEmpty {
                try quarantine(data[...], from: name, offset: goodEnd, reason: "torn last line")
                guard truncate(url.path, off_t(goodEnd)) == 0 else {
                    throw RoleError(.storage, "cannot cut the torn tail of \(url.path): \(String(cString: strerror(errno)))")
                }
            }
            segments.append(Segment(url: url, firstSeq: firstSeq, bytes: goodEnd, pending: pending))
        }
        self.acked = acked.intersection(live)
        try compactAcked()
        if !unacked.isEmpty {
            logger.info("journal recovered unacknowledged articles; redelivering them",
                        metadata: ["journal.unacknowledged": "\(unacked.count)", "journal.segments": "\(segments.count)"])
        }
        return unacked.sorted { $0.seq < $1.seq }
    }

    /// `acked.log`, read in steps: one number or one range a line (a line cut by a crash is ignored).
    private func readAcked() -> SeqRanges {
        var acked = SeqRanges()
        let url = folder.appendingPathComponent("acked.log")
        guard FileManager.default.fileExists(atPath: url.path) else { return acked }
        _ = try? LineReader.forEachLine(in: url) { line in
            if let range = SeqRanges.parse(line: line) { acked.insert(range) }
        }
        return acked
    }

    /// Rewrites `acked.log` as the ranges of ``acked``, atomically. Done at start, and while running
    /// whenever it holds many more lines than ranges, so it does not grow with the articles acknowledged.
    private func compactAcked() throws {
        let url = folder.appendingPathComponent("acked.log")
        let temporary = folder.appendingPathComponent("acked.log.tmp")
        try Data(acked.lines.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            throw RoleError(.storage, "cannot replace \(url.path): \(String(cString: strerror(errno)))")
        }
        try acks.reopen()
        ackLines = acked.ranges.count
    }

    private func quarantine(_ bytes: ArraySlice<UInt8>, from segment: String, offset: Int, reason: String) throws {
        let directory = folder.appendingPathComponent("quarantine")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("\(segment).\(offset).bad")
        try Data(bytes).write(to: url)
        logger.warning("journal: set aside a damaged line; it was never acknowledged to a source as safe",
                       metadata: ["journal.segment": "\(segment)", "journal.offset": "\(offset)",
                                  "reason": "\(reason)", "quarantine.file": "\(url.path)"])
    }

    // MARK: - Writing

    /// Buffers an article; it reaches the file at the next ``commit(now:)``. An article whose line would
    /// pass `maxLineBytes` (JSON escaping can make a line several times its body) is kept cut to fit and
    /// marked for dead-letter; the article as journaled is returned.
    @discardableResult
    func append(_ raw: RawArticle) throws -> RawArticle {
        var raw = raw
        var line = try JournalLine.encode(raw)
        if line.count > settings.maxLineBytes {
            let lineBytes = line.count
            // Six bytes per body byte is the worst escaping (`\u0000`); the rest is room for the fields.
            let keep = max(0, (settings.maxLineBytes - 4096) / 6)
            raw.deadLetterReason = "its journal line would be \(lineBytes) bytes, over limits.max_line_bytes (\(settings.maxLineBytes)); raw cut to its first \(keep) of \(raw.body.count) bytes"
            raw.body = Array(raw.body.prefix(keep))
            line = try JournalLine.encode(raw)
        }
        buffered += line
        buffered.append(UInt8(ascii: "\n"))
        bufferedSeqs.append(raw.seq)
        return raw
    }

    /// Records that `seq` was acknowledged.
    func acknowledged(_ seq: UInt64) {
        // Written digit by digit: an interpolated string per acknowledgement showed in the profile.
        let start = ackBuffer.count
        var rest = seq
        repeat {
            ackBuffer.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        ackBuffer[start...].reverse()
        ackBuffer.append(UInt8(ascii: "\n"))
        acked.insert(seq)
        ackLines += 1
        if let index = segmentIndex(of: seq) { segments[index].pending -= 1 }
    }

    /// Writes what is buffered to the kernel and syncs by policy; `waiting` says that something is held
    /// until its articles are synced (a producer's acceptance, an inbox file, a feed item). Returns
    /// whether every appended article is now as durable as the policy promises (`always` and `interval`:
    /// synced; `never`: written).
    @discardableResult
    func commit(now: ContinuousClock.Instant, waiting: Bool = false) throws -> Bool {
        if !buffered.isEmpty {
            if current == nil || (segments.last?.bytes ?? 0) >= settings.segmentBytes {
                try startSegment(firstSeq: bufferedSeqs.first ?? 0)
            }
            try current?.write(buffered)
            segments[segments.count - 1].bytes += buffered.count
            segments[segments.count - 1].pending += bufferedSeqs.count
            buffered.removeAll(keepingCapacity: true)
            bufferedSeqs.removeAll(keepingCapacity: true)
            unsynced = true
        }
        if !ackBuffer.isEmpty {
            try acks.write(ackBuffer)
            ackBuffer.removeAll(keepingCapacity: true)
            // Only the numbers still in a segment are needed; written as ranges they are few.
            if ackLines > settings.ackLogCompactionLines && ackLines > 4 * acked.ranges.count {
                if let first = segments.first?.firstSeq { acked = acked.from(first) }
                try compactAcked()
            }
        }
        switch settings.sync {
        case .always:
            if unsynced { try sync(now: now) }
        case .interval:
            let spacing = waiting ? min(Self.groupSpacing, settings.syncInterval) : settings.syncInterval
            if unsynced, now - lastSync >= spacing { try sync(now: now) }
        case .never:
            unsynced = false
        }
        if now - lastRetention >= .seconds(10) {
            lastRetention = now
            applyRetention()
        }
        return !unsynced
    }

    /// When a sync that something waits on is due under `interval` (nil when nothing is unsynced or the
    /// policy is another): the fetcher's loop wakes up for it.
    var groupSyncDue: ContinuousClock.Instant? {
        guard settings.sync == .interval, unsynced || !buffered.isEmpty else { return nil }
        return lastSync + min(Self.groupSpacing, settings.syncInterval)
    }

    private func sync(now: ContinuousClock.Instant) throws {
        try current?.sync()
        lastSync = now
        unsynced = false
    }

    private func startSegment(firstSeq: UInt64) throws {
        try current?.sync()
        let digits = String(firstSeq)
        let name = "segment-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".jsonl"
        let url = folder.appendingPathComponent(name)
        current = try JournalFile(url: url)
        segments.append(Segment(url: url, firstSeq: firstSeq, bytes: 0, pending: 0))
    }

    private func segmentIndex(of seq: UInt64) -> Int? {
        var low = 0
        var high = segments.count - 1
        var found: Int? = nil
        while low <= high {
            let middle = (low + high) / 2
            if segments[middle].firstSeq <= seq {
                found = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        return found
    }

    /// Deletes the oldest closed segments that are fully acknowledged and past the retention age, or while
    /// the journal is over its size budget.
    private func applyRetention() {
        let now = Date()
        while segments.count > 1, let oldest = segments.first, oldest.pending <= 0 {
            let modified = (try? FileManager.default.attributesOfItem(atPath: oldest.url.path)[.modificationDate]) as? Date
            let age = modified.map { now.timeIntervalSince($0) } ?? 0
            let retentionSeconds = Double(settings.retention.components.seconds)
            guard age > retentionSeconds || bytes > settings.retentionBytes else { break }
            try? FileManager.default.removeItem(at: oldest.url)
            segments.removeFirst()
            logger.info("journal: retired a fully acknowledged segment", metadata: ["journal.segment": "\(oldest.url.lastPathComponent)"])
        }
    }
}

/// An append-only file handle for the journal.
final class JournalFile {
    private var descriptor: Int32
    let url: URL

    init(url: URL) throws {
        self.url = url
        self.descriptor = try Self.open(url)
    }

    deinit { close(descriptor) }

    private static func open(_ url: URL) throws -> Int32 {
        let descriptor = Glibc.open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RoleError(.storage, "cannot open \(url.path): \(String(cString: strerror(errno))); check the journal folder")
        }
        return descriptor
    }

    /// Reopens after the file was replaced by a rename.
    func reopen() throws {
        close(descriptor)
        descriptor = try Self.open(url)
    }

    /// Appends `bytes` whole or not at all: a failed write (a full disk) cuts the file back to where it
    /// was, so no line is left half written, and the caller keeps the bytes to write again.
    func write(_ bytes: [UInt8]) throws {
        let before = lseek(descriptor, 0, SEEK_END)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                if before >= 0 { _ = ftruncate(descriptor, before) }
                throw RoleError(.storage, "cannot write \(url.path): \(reason)")
            }
            written += result
        }
    }

    func sync() throws {
        while fsync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw RoleError(.storage, "cannot sync \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}
