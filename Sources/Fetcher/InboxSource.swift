import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The watched drop folder: every new or changed regular file in `inbox/` is one article.
///
/// Files are remembered in `state/inbox.taken` once their article is safely in the journal, which
/// redelivers it from then on; a file whose journal entry was not yet safe is simply taken again (the sink
/// drops the duplicate). Names starting with `.`
/// and ending in `.tmp` or `.part` are being written and are skipped; any other file is taken once it has
/// not changed for the settle time. Symbolic links are followed only to files inside the folder.
final class InboxSource {
    private let folder: URL
    private let indexURL: URL
    private let settle: Duration
    private let logger: Logger
    private var taken: [String: String] = [:]
    private var pending: Set<String> = []
    private var index: FileHandle?
    /// Files seen changing at the last scan; they keep the source from counting as exhausted.
    private(set) var settling = 0
    /// Taken files are re-examined for changes only this often; new names are looked at on every scan.
    private let changeCheckInterval: Duration = .seconds(5)
    private var lastChangeCheck = ContinuousClock.now
    private var checkChangesThisPass = true
    private var listing: [String] = []
    private var cursor = 0
    private var passSettling = 0

    init(folder: URL, stateFolder: URL, settle: Duration, logger: Logger) throws {
        self.folder = folder
        self.indexURL = stateFolder.appendingPathComponent("inbox.taken")
        self.settle = settle
        self.logger = logger
        try loadIndex()
    }

    /// Files ready to take, in name order, excluding those taken or outstanding. One directory listing
    /// serves several calls: a call that stops at `limit` resumes where it stopped, and the folder is
    /// listed again only once every name of the last listing has been looked at.
    func scan(limit: Int) -> [InboxFile] {
        guard limit > 0 else { return [] }
        if cursor >= listing.count && !relist() { return [] }
        var ready: [InboxFile] = []
        let now = Date().timeIntervalSince1970
        let settleSeconds = Double(settle.components.seconds) + Double(settle.components.attoseconds) / 1e18
        while cursor < listing.count, ready.count < limit {
            let name = listing[cursor]
            cursor += 1
            if Self.isInProgress(name) || pending.contains(name) { continue }
            if !checkChangesThisPass, taken[name] != nil { continue }
            guard let status = statusOfEntry(name) else { continue }
            let fingerprint = "\(status.size):\(status.modifiedNanoseconds)"
            if taken[name] == fingerprint { continue }
            if now - Double(status.modifiedNanoseconds) / 1e9 < settleSeconds {
                passSettling += 1
                continue
            }
            ready.append(InboxFile(name: name, fingerprint: fingerprint))
        }
        if cursor >= listing.count { settling = passSettling }
        return ready
    }

    /// Reads the folder's names for a new pass. A stat of every taken file on every pass would cost more
    /// than the pipeline itself at 10^4 files: taken files are checked for changes every few seconds.
    private func relist() -> Bool {
        do {
            listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        } catch {
            logger.error("cannot list the drop folder", metadata: ["inbox.path": "\(folder.path)", "error": "\(error)"])
            listing = []
            return false
        }
        cursor = 0
        passSettling = 0
        checkChangesThisPass = ContinuousClock.now - lastChangeCheck >= changeCheckInterval
        if checkChangesThisPass { lastChangeCheck = ContinuousClock.now }
        return true
    }

    /// Reads a file for dispatch and marks it outstanding. Returns `nil` if it vanished.
    func read(_ file: InboxFile, maxBytes: Int) -> InboxRead? {
        let url = folder.appendingPathComponent(file.name)
        guard let status = statusOfEntry(file.name) else { return nil }
        pending.insert(file.name)
        if status.size > maxBytes {
            return .tooLarge(size: status.size)
        }
        do {
            return .contents(Array(try Data(contentsOf: url)))
        } catch {
            return .unreadable("cannot read \(url.path): \(error.localizedDescription)")
        }
    }

    /// The article made from `file` is in the journal: remember the file as taken for good.
    func taken(_ file: InboxFile) {
        pending.remove(file.name)
        taken[file.name] = file.fingerprint
        let line = Array("\(file.fingerprint)\t\(file.name)\n".utf8)
        do {
            try index?.write(contentsOf: line)
        } catch {
            logger.error("cannot record a taken file; it may be taken again after a restart",
                         metadata: ["inbox.index": "\(indexURL.path)", "error": "\(error)"])
        }
    }

    /// Whether anything is waiting to be taken or still being written.
    var isIdle: Bool { settling == 0 }

    private static func isInProgress(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part")
    }

    private struct EntryStatus {
        var size: Int
        var modifiedNanoseconds: Int64
    }

    /// `stat` of a regular file in the folder; symbolic links only when they resolve inside the folder.
    private func statusOfEntry(_ name: String) -> EntryStatus? {
        let path = folder.appendingPathComponent(name).path
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let inside = folder.resolvingSymlinksInPath().path + "/"
            guard resolved.hasPrefix(inside), stat(resolved, &info) == 0 else {
                logger.warning("skipping a symbolic link that leads out of the drop folder",
                               metadata: ["inbox.file": "\(name)"])
                return nil
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let nanos = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return EntryStatus(size: Int(info.st_size), modifiedNanoseconds: nanos)
    }

    private func loadIndex() throws {
        if let data = FileManager.default.contents(atPath: indexURL.path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
                let fingerprint = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
                let name = String(decoding: line[(tab + 1)...], as: UTF8.self)
                taken[name] = fingerprint
            }
            // A torn last line (crash mid-append) is not terminated: end it so the next entry starts clean.
            if let last = data.last, last != UInt8(ascii: "\n") {
                try appendNewline()
            }
        } else {
            _ = FileManager.default.createFile(atPath: indexURL.path, contents: nil)
        }
        index = try FileHandle(forWritingTo: indexURL)
        _ = try index?.seekToEnd()
    }

    private func appendNewline() throws {
        let handle = try FileHandle(forWritingTo: indexURL)
        defer { try? handle.close() }
        _ = try handle.seekToEnd()
        try handle.write(contentsOf: [UInt8(ascii: "\n")])
    }
}

/// What reading a drop-folder file gave.
enum InboxRead {
    case contents([UInt8])
    case tooLarge(size: Int)
    case unreadable(String)
}
