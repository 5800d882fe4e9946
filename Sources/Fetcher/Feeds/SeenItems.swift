import Foundation
import Logging

/// Feed items and links already journaled (`state/feeds/seen`), so that a restart never fetches them
/// again, remembered for `fetcher.feeds.remember_days` rather than forever.
///
/// Two generations, each a file of 16-hex-digit ids: `seen` (the current one) and `seen.1`. When the
/// current one is half the remembering time old, it becomes `seen.1` (the old `seen.1` is dropped) and a
/// new `seen` starts. An item still listed by a feed is found in `seen.1` and copied into `seen`, so only
/// items no feed has listed for that long are forgotten: the files and the memory hold what the feeds
/// listed over at most the remembering time, 8 bytes an id in memory.
struct SeenItems {
    private var current: Set<UInt64> = []
    private var previous: Set<UInt64> = []
    private let currentURL: URL
    private let previousURL: URL
    private let sinceURL: URL
    private var file: FileHandle?
    private var since: Date
    private let generation: TimeInterval
    private let logger: Logger

    init(folder: URL, rememberDays: Double, logger: Logger) throws {
        currentURL = folder.appendingPathComponent("seen")
        previousURL = folder.appendingPathComponent("seen.1")
        sinceURL = folder.appendingPathComponent("seen.since")
        generation = max(rememberDays, 1.0 / 24) * 86_400 / 2
        self.logger = logger
        current = Self.read(currentURL)
        previous = Self.read(previousURL)
        if let text = try? String(contentsOf: sinceURL, encoding: .utf8),
           let seconds = TimeInterval(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            since = Date(timeIntervalSince1970: seconds)
        } else {
            since = Date()
            Self.writeSince(since, to: sinceURL)
        }
        if !FileManager.default.fileExists(atPath: currentURL.path) {
            _ = FileManager.default.createFile(atPath: currentURL.path, contents: nil)
        }
        file = try FileHandle(forWritingTo: currentURL)
        _ = try file?.seekToEnd()
        try rotateIfDue(now: Date())
    }

    /// Distinct ids remembered, both generations.
    var count: Int { previous.count + current.filter { !previous.contains($0) }.count }

    /// Whether `id` was seen. One found only in the older generation is copied into the current one (an
    /// item a feed still lists is not forgotten).
    mutating func contains(_ id: String) -> Bool {
        guard let value = UInt64(id, radix: 16) else { return false }
        if current.contains(value) { return true }
        guard previous.contains(value) else { return false }
        current.insert(value)
        write([id], sync: false)
        return true
    }

    /// Remembers ids in memory only (what the journal holds already, recovered at start).
    mutating func remember(_ ids: [String]) {
        for id in ids { if let value = UInt64(id, radix: 16) { current.insert(value) } }
    }

    /// Remembers ids for good: in memory and in the file, synced.
    mutating func record(_ ids: [String]) {
        remember(ids)
        write(ids, sync: true)
        try? rotateIfDue(now: Date())
    }

    private func write(_ ids: [String], sync: Bool) {
        guard !ids.isEmpty, let file else { return }
        do {
            try file.write(contentsOf: Data(ids.map { $0 + "\n" }.joined().utf8))
            if sync { try file.synchronize() }
        } catch {
            logger.error("cannot record fetched feed items; they may be fetched again after a restart",
                         metadata: ["error": "\(error)"])
        }
    }

    /// Starts a new generation once the current one is half the remembering time old.
    private mutating func rotateIfDue(now: Date) throws {
        guard now.timeIntervalSince(since) >= generation else { return }
        try file?.synchronize()
        try file?.close()
        _ = rename(currentURL.path, previousURL.path)
        _ = FileManager.default.createFile(atPath: currentURL.path, contents: nil)
        file = try FileHandle(forWritingTo: currentURL)
        previous = current
        current = []
        since = now
        Self.writeSince(since, to: sinceURL)
        logger.info("started a new generation of remembered feed items; items no feed listed for fetcher.feeds.remember_days are forgotten",
                    metadata: ["feeds.remembered": "\(previous.count)"])
    }

    func close() { try? file?.close() }

    /// The ids of a file; a line cut by a crash is not 16 hex digits and is ignored.
    private static func read(_ url: URL) -> Set<UInt64> {
        var ids = Set<UInt64>()
        guard let data = FileManager.default.contents(atPath: url.path) else { return ids }
        ids.reserveCapacity(data.count / 17)
        // Parsed in place: a million ids cost the set, not a million strings.
        var value: UInt64 = 0
        var digits = 0
        var valid = true
        for byte in data {
            if byte == UInt8(ascii: "\n") {
                if valid && digits == 16 { ids.insert(value) }
                (value, digits, valid) = (0, 0, true)
                continue
            }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: valid = false; continue
            }
            value = value << 4 | UInt64(digit)
            digits += 1
        }
        return ids
    }

    private static func writeSince(_ date: Date, to url: URL) {
        try? Data("\(Int(date.timeIntervalSince1970))\n".utf8).write(to: url, options: .atomic)
    }
}
