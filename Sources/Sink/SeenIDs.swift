import Foundation
import StreamFiles
import Logging
import NewsModel
import RoleSupport

/// The ids of the newest records written to a folder of JSON Lines files, rebuilt from the files themselves
/// at start so the sink drops redelivered copies across its own restarts too. Torn last lines are cut off
/// first.
///
/// A copy arrives only while the fetcher still waits for the acknowledgement of its article: within
/// `fetcher.ack_timeout_ms` times `fetcher.max_attempts` of the first write, plus the fetcher's own
/// restarts, during which nothing new is written. So the sink remembers the newest `remember` ids at least
/// and twice that at most, in two generations (the older is forgotten when the newer is full), and memory
/// and start time do not grow with everything `out/` has ever held.
struct SeenIDs {
    private var recent: Set<UInt64> = []
    private var older: Set<UInt64> = []
    private let remember: Int

    /// Loads the `*.jsonl` and `*.jsonl.gz` files of `folder`, newest first (names start with their UTC
    /// time), until it holds `remember` ids and `wantsMore` (asked between files) says no more is needed;
    /// lines over `maxLineBytes` are skipped with a warning. Every line read is also given to `each` with
    /// its id, where the id lies in it and its file's number, 0 for the newest (the near-duplicate index
    /// learns from the same pass, and needs only the last lines).
    init(folder: URL, remember: Int, maxLineBytes: Int = .max, logger: Logger, wantsMore: () -> Bool = { false },
         each: (_ line: ArraySlice<UInt8>, _ id: String, _ idAt: Range<Int>, _ file: Int) -> Void = { _, _, _, _ in })
        throws(RoleError)
    {
        self.remember = max(1, remember)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let files = names.sorted().reversed().filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".jsonl.gz") }
        for (number, name) in files.enumerated() {
            if older.count >= self.remember && !wantsMore() { break }
            let url = folder.appendingPathComponent(name)
            if name.hasSuffix(".jsonl") {
                let cut = try JSONLinesFile.repairTornTail(url)
                if cut > 0 {
                    logger.warning("cut a torn last line left by a crash; that article will be redelivered",
                                   metadata: ["file": "\(url.path)", "bytes": "\(cut)"])
                }
            }
            do {
                let skipped = try LineReader.forEachLine(in: url, maxLineBytes: maxLineBytes) { line in
                    if let range = RecordLine.idRange(in: line) {
                        let id = String(decoding: line[range], as: UTF8.self)
                        older.insert(ArticleID(key: id).value)
                        each(line, id, range, number)
                    }
                }
                if skipped > 0 {
                    logger.warning("skipped lines longer than limits.max_line_bytes; newsflow never writes such lines",
                                   metadata: ["file": "\(url.path)", "lines": "\(skipped)"])
                }
            } catch {
                throw RoleError(.storage, "cannot read \(url.path) to learn which ids are written", underlying: error)
            }
        }
    }

    /// Number of ids known.
    var count: Int { recent.count + older.count }

    /// Records `id`; returns `false` if it was already there.
    mutating func insert(_ id: String) -> Bool {
        let value = ArticleID(key: id).value
        guard !older.contains(value) else { return false }
        guard recent.insert(value).inserted else { return false }
        if recent.count >= remember {
            older = recent
            recent = Set(minimumCapacity: remember)
        }
        return true
    }
}
