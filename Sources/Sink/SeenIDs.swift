import Foundation
import StreamFiles
import Logging
import NewsModel
import RoleSupport

/// The ids already written to a folder of JSON Lines files, rebuilt from the files themselves at start so
/// the sink drops duplicates across its own restarts too. Torn last lines are cut off first.
struct SeenIDs {
    private var ids: Set<UInt64> = []

    /// Loads every `*.jsonl` file in `folder`, newest first (names start with their UTC time); lines over
    /// `maxLineBytes` are skipped with a warning. Every line read is also given to `each` with its id,
    /// where the id lies in it and its file's number, 0 for the newest (the near-duplicate index learns
    /// from the same pass, and needs only the last lines).
    init(folder: URL, maxLineBytes: Int = .max, logger: Logger,
         each: (_ line: ArraySlice<UInt8>, _ id: String, _ idAt: Range<Int>, _ file: Int) -> Void = { _, _, _, _ in })
        throws(RoleError)
    {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let files = names.sorted().reversed().filter { $0.hasSuffix(".jsonl") || $0.hasSuffix(".jsonl.gz") }
        for (number, name) in files.enumerated() {
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
                        ids.insert(ArticleID(key: id).value)
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
    var count: Int { ids.count }

    /// Records `id`; returns `false` if it was already there.
    mutating func insert(_ id: String) -> Bool {
        ids.insert(ArticleID(key: id).value).inserted
    }
}
