import Foundation

/// JSON Lines output that moves to a new file by size and by age. Names sort by time and never collide:
/// `<prefix>-<UTC yyyyMMddTHHmmssZ>-<instance>-<pid>-<nnnnnn>.jsonl`. Rotation happens only right after a
/// sync, so a closed file always ends with a whole, synced line.
final class RotatingFile {
    private let folder: URL
    private let prefix: String
    private let instance: String
    private let maxBytes: Int
    private let maxAge: Duration
    private let syncs: Bool
    /// Where closed files go to be compressed; nil when `sink.compress` is off.
    private let compressor: BackgroundCompressor?
    private var current: JSONLinesFile
    private var openedAt = ContinuousClock.now
    private var counter: Int

    init(folder: URL, prefix: String, instance: String, maxBytes: Int, maxAge: Duration, syncs: Bool,
         compressor: BackgroundCompressor?) {
        self.compressor = compressor
        self.folder = folder
        self.prefix = prefix
        self.instance = instance
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.syncs = syncs
        self.counter = 1
        self.current = JSONLinesFile(url: Self.fileURL(folder: folder, prefix: prefix, instance: instance, counter: 1))
    }

    /// The file being written.
    var url: URL { current.url }

    func append(_ line: [UInt8]) { current.append(line) }

    /// Writes and (unless `sink.fsync` is off) syncs; then rotates if the file is big or old enough.
    func sync() throws {
        try current.sync(durably: syncs)
        if current.bytesWritten >= maxBytes || (current.bytesWritten > 0 && ContinuousClock.now - openedAt >= maxAge) {
            let closed = current.url
            counter += 1
            current = JSONLinesFile(url: Self.fileURL(folder: folder, prefix: prefix, instance: instance, counter: counter))
            openedAt = ContinuousClock.now
            // Everything in the closed file is synced already; it is compressed on the compressor's thread,
            // safely against a crash at any step (see SegmentCompressor). A failure (a full disk) leaves it
            // uncompressed: the next start compresses it.
            compressor?.enqueue(closed)
        }
    }

    private static func fileURL(folder: URL, prefix: String, instance: String, counter: Int) -> URL {
        let stamp = Date().formatted(Date.VerbatimFormatStyle(
            format: "\(year: .defaultDigits)\(month: .twoDigits)\(day: .twoDigits)T\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased))\(minute: .twoDigits)\(second: .twoDigits)Z",
            timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
        let pid = ProcessInfo.processInfo.processIdentifier
        let number = String(counter)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return folder.appendingPathComponent("\(prefix)-\(stamp)-\(instance)-\(pid)-\(padded).jsonl")
    }
}
