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
/// not changed for the settle time. Symbolic links are followed only to files inside the folder; links
/// out of it, FIFOs and devices are dead-lettered once with the reason. Names may hold any bytes.
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
    /// The folder's inotify watch, when there is one.
    private let watch: InboxWatch?
    /// Names the watch reported, looked at before the listing's.
    private var notified: [String] = []
    /// Names whose writer closed them or that were renamed in since they were last taken: done, so
    /// not held back for the settle time.
    private var closed: Set<String> = []

    init(folder: URL, stateFolder: URL, settle: Duration, watch: Bool, logger: Logger) throws {
        self.folder = folder
        self.watch = watch ? InboxWatch(folder: folder.path, logger: logger) : nil
        self.indexURL = stateFolder.appendingPathComponent("inbox.taken")
        self.settle = settle
        self.logger = logger
        try loadIndex()
    }

    /// The inotify descriptor to poll, when the folder is watched.
    var notificationDescriptor: Int32? { watch?.descriptor }

    /// Reads what the watch reported; returns whether there is something to look at now.
    func readNotifications() -> Bool {
        guard let watch else { return false }
        let notice = watch.read()
        if notice.overflowed { cursor = listing.count }
        for name in notice.names where !Self.isInProgress(name) {
            closed.insert(name)
            notified.append(name)
        }
        return notice.overflowed || !notice.names.isEmpty
    }

    /// Files ready to take, excluding those taken or outstanding: first those the watch reported, then
    /// the folder's in name order. One directory listing serves several calls: a call that stops at
    /// `limit` resumes where it stopped, and the folder is listed again only once every name of the last
    /// listing has been looked at.
    func scan(limit: Int) -> [InboxFile] {
        guard limit > 0 else { return [] }
        var ready: [InboxFile] = []
        var chosen: Set<String> = []
        let now = Date().timeIntervalSince1970
        let settleSeconds = Double(settle.components.seconds) + Double(settle.components.attoseconds) / 1e18
        var consumed = 0
        for name in notified where ready.count < limit {
            consumed += 1
            if chosen.contains(name) { continue }
            let consideration = consider(name, now: now, settleSeconds: settleSeconds, checkTaken: true)
            closed.remove(name)
            if case .ready(let file) = consideration {
                ready.append(file)
                chosen.insert(name)
            }
        }
        notified.removeFirst(consumed)
        if ready.count >= limit { return ready }
        if cursor >= listing.count && !relist() { return ready }
        while cursor < listing.count, ready.count < limit {
            let name = listing[cursor]
            cursor += 1
            if chosen.contains(name) { continue }
            switch consider(name, now: now, settleSeconds: settleSeconds, checkTaken: checkChangesThisPass) {
            case .ready(let file): ready.append(file)
            case .settling: passSettling += 1
            case .skipped: break
            }
        }
        if cursor >= listing.count { settling = passSettling }
        return ready
    }

    private enum Consideration {
        case ready(InboxFile)
        case settling
        case skipped
    }

    /// Whether the entry `name` is to be taken now. Taken files are looked at again (for a change) only
    /// when `checkTaken`.
    private func consider(_ name: String, now: Double, settleSeconds: Double, checkTaken: Bool) -> Consideration {
        if Self.isInProgress(name) || pending.contains(name) { return .skipped }
        if !checkTaken, taken[name] != nil { return .skipped }
        let status: EntryStatus
        switch entry(name) {
        case .file(let file): status = file
        case .refused(let refusal, let link):
            let fingerprint = "\(link.size):\(link.modifiedNanoseconds)"
            return taken[name] != fingerprint ? .ready(InboxFile(name: name, fingerprint: fingerprint, refusal: refusal)) : .skipped
        case .ignored: return .skipped
        }
        let fingerprint = "\(status.size):\(status.modifiedNanoseconds)"
        if taken[name] == fingerprint { return .skipped }
        if !closed.contains(name), now - Double(status.modifiedNanoseconds) / 1e9 < settleSeconds { return .settling }
        return .ready(InboxFile(name: name, fingerprint: fingerprint))
    }

    /// Reads the folder's names for a new pass. A stat of every taken file on every pass would cost more
    /// than the pipeline itself at 10^4 files: taken files are checked for changes every few seconds.
    private func relist() -> Bool {
        guard let names = Self.names(in: folder.path) else {
            logger.error("cannot list the drop folder",
                         metadata: ["inbox.path": "\(folder.path)", "error": "\(String(cString: strerror(errno)))"])
            listing = []
            return false
        }
        listing = names.sorted()
        cursor = 0
        passSettling = 0
        checkChangesThisPass = ContinuousClock.now - lastChangeCheck >= changeCheckInterval
        if checkChangesThisPass { lastChangeCheck = ContinuousClock.now }
        return true
    }

    /// Reads a file for dispatch and marks it outstanding. Returns `nil` if it vanished.
    func read(_ file: InboxFile, maxBytes: Int) -> InboxRead? {
        if let refusal = file.refusal {
            pending.insert(file.name)
            return .unreadable(refusal)
        }
        guard case .file(let status) = entry(file.name) else { return nil }
        pending.insert(file.name)
        if status.size > maxBytes {
            return .tooLarge(size: status.size)
        }
        return Self.contents(ofPath: path(of: file.name), maxBytes: maxBytes, displayPath: folder.path + "/" + file.name)
    }

    /// The names in `folder` (escaped by ``InboxName``), read as raw bytes: a name that is not UTF-8 is
    /// still a file to take.
    private static func names(in folder: String) -> [String]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                Array(buffer.prefix { $0 != 0 })
            }
            if bytes == [UInt8(ascii: ".")] || bytes == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(InboxName.escape(bytes))
        }
        return names
    }

    /// Reads a whole file by its raw path; a file that grew past `maxBytes` since its `stat` is too large.
    private static func contents(ofPath path: [CChar], maxBytes: Int, displayPath: String) -> InboxRead {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            return .unreadable("cannot open \(displayPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .unreadable("cannot read \(displayPath): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            if bytes.count > maxBytes { return .tooLarge(size: bytes.count) }
        }
        return .contents(bytes)
    }

    /// The NUL-terminated raw path of an entry.
    private func path(of name: String) -> [CChar] {
        (Array(folder.path.utf8) + [UInt8(ascii: "/")] + InboxName.unescape(name) + [0]).map { CChar(bitPattern: $0) }
    }

    /// The article made from `file` is in the journal: remember the file as taken for good.
    func taken(_ file: InboxFile) {
        pending.remove(file.name)
        taken[file.name] = file.fingerprint
        let line = Array("\(file.fingerprint)\t\(file.name)\n".utf8)
        do {
            try index?.write(contentsOf: line)
            indexLines += 1
            if indexLines > 2 * taken.count + 10_000 { try compactIndex() }
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

        init(_ info: stat) {
            size = Int(info.st_size)
            modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        }
    }

    private enum Entry {
        /// A regular file, or a symbolic link to one inside the folder.
        case file(EntryStatus)
        /// Something that is not taken, with the reason, and the status of the entry itself.
        case refused(String, EntryStatus)
        /// Gone, or a folder.
        case ignored
    }

    /// What an entry of the folder is. Symbolic links are followed only to regular files inside the
    /// folder; links out of it, dangling links, loops, FIFOs, sockets and devices are refused (once).
    private func entry(_ name: String) -> Entry {
        let path = path(of: name)
        var info = stat()
        guard lstat(path, &info) == 0 else { return .ignored }
        let own = EntryStatus(info)
        if (info.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                return .refused("symbolic link \(name) cannot be resolved: \(String(cString: strerror(errno)))", own)
            }
            defer { free(resolved) }
            let target = String(cString: resolved)
            guard let inside = folderRealPath, target.hasPrefix(inside + "/") else {
                return .refused("symbolic link \(name) leads out of the drop folder (to \(target)); not followed", own)
            }
            guard stat(resolved, &info) == 0 else { return .ignored }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(EntryStatus(info))
        case S_IFDIR: return .ignored
        default: return .refused("\(name) is not a regular file (a FIFO, socket or device); not read", own)
        }
    }

    /// The folder's own path with every link resolved, for telling whether a link stays inside it.
    private var folderRealPath: String? {
        guard let resolved = realpath(folder.path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Lines in `inbox.taken` (entries ever appended since it was last rewritten).
    private var indexLines = 0

    private func loadIndex() throws {
        if let data = FileManager.default.contents(atPath: indexURL.path) {
            for line in data.split(separator: UInt8(ascii: "\n")) {
                indexLines += 1
                guard let tab = line.firstIndex(of: UInt8(ascii: "\t")) else { continue }
                let fingerprint = String(decoding: line[line.startIndex..<tab], as: UTF8.self)
                let name = String(decoding: line[(tab + 1)...], as: UTF8.self)
                taken[name] = fingerprint
            }
        }
        try compactIndex()
    }

    /// Rewrites `inbox.taken` with only the files still in the folder, each once: a file removed from
    /// the folder cannot be taken again, so remembering it is of no use. Done at start, and whenever
    /// the file holds more than twice the entries still needed (re-taken files append a line each), so
    /// neither the file nor the memory grows beyond what the folder holds.
    private func compactIndex() throws {
        try? index?.close()
        if let names = Self.names(in: folder.path) {
            let present = Set(names)
            taken = taken.filter { present.contains($0.key) }
        }
        var text = ""
        for (name, fingerprint) in taken.sorted(by: { $0.key < $1.key }) { text += "\(fingerprint)\t\(name)\n" }
        let temporary = indexURL.appendingPathExtension("tmp")
        _ = FileManager.default.createFile(atPath: temporary.path, contents: nil)
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, indexURL.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: indexURL.path])
        }
        indexLines = taken.count
        index = try FileHandle(forWritingTo: indexURL)
        _ = try index?.seekToEnd()
    }
}

/// What reading a drop-folder file gave.
enum InboxRead {
    case contents([UInt8])
    case tooLarge(size: Int)
    case unreadable(String)
}
